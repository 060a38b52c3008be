using System.Diagnostics;
using Handoff.Core.Cases;
using Handoff.Storage.Infrastructure;
using Handoff.Testing;
using Microsoft.Extensions.Time.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Benchmarks;

/// <summary>
/// Full handoffs (register, acknowledge, release, report, agreement) run by concurrent callers while two workers deliver the
/// outbox. The API side and the worker side count their storage requests separately.
/// </summary>
internal static class HandoffBench
{
    public sealed record Result(
        int Commands, long CommandRequests, long WorkerRequests, long WorkerMessages, long TotalRequests, int Notices,
        double HandoffsPerSecond, IReadOnlyDictionary<string, long> RequestsByKind);

    public static async Task<Result> RunAsync(string connectionString, BenchOptions options)
    {
        var time = new FakeTimeProvider(Beijing(2026, 2, 20, 9));
        var api = new Runtime(connectionString, time);
        var worker = new Runtime(connectionString, time);
        var observer = new Runtime(connectionString, time);
        await api.Clients.EnsureCreatedAsync();
        foreach (var queue in StorageNames.Queues)
        {
            await api.Clients.Queue(queue).ClearMessagesAsync();
        }

        api.Counter.Reset();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 2).Select(_ => Task.Run(() => worker.WakeUpPump.RunAsync(stop.Token))).ToList();
        var caseIds = new List<string>();
        var notices = 0;
        var commands = 0;
        var gate = new SemaphoreSlim(options.Concurrency);
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Handoffs).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var register = api.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
                lock (caseIds)
                {
                    caseIds.Add(register.CaseId);
                }

                var now = time.GetUtcNow();
                foreach (CaseCommand command in new CaseCommand[]
                         {
                             register,
                             new AcknowledgeNotice(As(Office)),
                             new RecordRelease(As(Centre), now, new CollectedBy(CollectorKind.Family, "家属")),
                             new RecordReport(As(Office), now),
                             new RecordAgreement(As(Office), now),
                         })
                {
                    var outcome = await api.Runner.ExecuteAsync(register.CaseId, command);
                    if (outcome.Rejection is not null)
                    {
                        throw new InvalidOperationException(outcome.Rejection.Detail);
                    }

                    Interlocked.Increment(ref commands);
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        // Done when every case's outbox is delivered and its index current.
        foreach (var id in caseIds)
        {
            while (true)
            {
                var record = (await observer.Store.LoadAsync(id)).Record!;
                if (!record.HasPendingWork)
                {
                    notices += record.State.EventCount > 0 ? 6 : 0;
                    break;
                }

                await Task.Delay(20);
            }
        }

        var elapsed = stopwatch.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var byKind = new Dictionary<string, long>();
        foreach (var (kind, count) in api.Counter.ByKind.Concat(worker.Counter.ByKind))
        {
            byKind[kind] = byKind.GetValueOrDefault(kind) + count;
        }

        return new Result(
            commands, api.Counter.Total, worker.Counter.Total, worker.Health.Queues[StorageNames.WakeUpQueue].Processed,
            api.Counter.Total + worker.Counter.Total, notices, options.Handoffs / elapsed.TotalSeconds, byKind);
    }
}
