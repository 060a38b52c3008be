using Azure.Storage.Queues.Models;
using Handoff.Core.Cases;
using Handoff.Core.Time;
using Handoff.Storage.Cases;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;
using Handoff.Storage.Runtime;
using Handoff.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static Handoff.Testing.TestData;

namespace Handoff.Benchmarks;

/// <summary>
/// Wake-up lateness on an idle service: each case's release deadline falls due about 20 seconds after it is registered (one timer
/// hop), the cases staggered by a quarter second, on real-speed clocks. One worker polls as in production. Lateness is when the
/// escalation opened minus the due instant.
/// </summary>
internal static class LatenessBench
{
    public sealed record Result(int Count, double P50, double P99, double Max);

    public static async Task<Result> RunAsync(string connectionString, int timers)
    {
        var due = ChinaTime.EndOfDay(new DateOnly(2026, 3, 2));
        var runtimes = new Dictionary<string, Runtime>();
        var shared = new Runtime(connectionString, TimeProvider.System);
        foreach (var queue in StorageNames.Queues)
        {
            await shared.Clients.Queue(queue).ClearMessagesAsync();
        }

        for (var i = 0; i < timers; i++)
        {
            var clock = new ScaledTime(due - TimeSpan.FromSeconds(20) - TimeSpan.FromMilliseconds(250 * i), 1);
            var rt = new Runtime(connectionString, clock);
            var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
            await rt.Runner.ExecuteAsync(register.CaseId, register);
            runtimes[register.CaseId] = rt;
        }

        var pump = new QueuePump(shared.Clients, new RoutingHandler(runtimes), QueueClock.System, new QueueHealth(), NullLogger<QueuePump>.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(timers * 0.25 + 40));
        var running = Task.Run(() => pump.RunAsync(stop.Token));
        var lateness = new List<double>();
        while (!stop.IsCancellationRequested && lateness.Count < timers)
        {
            await Task.Delay(200);
            lateness.Clear();
            foreach (var (id, rt) in runtimes)
            {
                var escalation = (await shared.Store.LoadAsync(id)).Record!.State.Escalations.FirstOrDefault(e => e.Kind == EscalationKind.ReleaseNotRecorded);
                if (escalation is not null)
                {
                    lateness.Add((escalation.OpenedAt - due).TotalMilliseconds);
                }
            }
        }

        await stop.CancelAsync();
        await running;

        lateness.Sort();
        double At(double q) => lateness.Count == 0 ? double.NaN : lateness[Math.Min(lateness.Count - 1, (int)Math.Ceiling(q * lateness.Count) - 1)];
        return new Result(lateness.Count, At(0.5), At(0.99), lateness.Count == 0 ? double.NaN : lateness[^1]);
    }

    /// <summary>Each case runs on its own clock, so the worker hands each message to that case's processor.</summary>
    private sealed class RoutingHandler(Dictionary<string, Runtime> runtimes) : IQueueHandler
    {
        public string Queue => StorageNames.WakeUpQueue;

        public int MaxFailures => 5;

        public bool KeepsFailingMessages => true;

        public bool IsPermanent(Exception error) => error is System.Text.Json.JsonException;

        public Task<Disposition> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
        {
            var wakeUp = System.Text.Json.JsonSerializer.Deserialize<WakeUpMessage>(message.Body.ToString(), Handoff.Core.Serialization.CoreJson.Options)!;
            return runtimes[wakeUp.CaseId].Processor.ProcessAsync(wakeUp, TimeSpan.Zero, cancellationToken);
        }
    }
}
