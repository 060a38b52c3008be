using System.Diagnostics;
using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.Benchmarks.Reporting;
using Handoff.Core.Time;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Figure 2b. A command sent to a second instance of the self-host on the same task hub — its API and the engine's client, not the
/// worker that owns the partition — so the event waits for the owner's control-queue poller, which has backed off to the maximum
/// interval (commands are minutes apart in production). The second instance waits up to 30 s, so its answer times the application;
/// a share of them would be 202 at the default 2 s wait. The same run gives what an isolated command costs in requests, the
/// pollers' return to their idle interval included: the requests of the sampling minus the idle rate measured just before.
/// </summary>
public static class CrossProcessLatency
{
    public sealed record Result(
        IReadOnlyList<double> Seconds, int Accepted, TimeSpan Polling, string Load, Isolated Cost);

    /// <summary>Requests while <see cref="Commands"/> isolated commands were applied, and the idle rate to subtract.</summary>
    public sealed record Isolated(int Commands, MeterSnapshot Sampling, TimeSpan Length, double IdlePerMinute)
    {
        public double PerCommand => (Sampling.Total() - IdlePerMinute * Length.TotalMinutes) / Commands;
    }

    public static async Task<Result> RunAsync(string connectionString, BenchOptions options)
    {
        var hub = HubNames.Next("cross");
        var production = HostProfile.Production;
        var meter = new Meter(hub);
        await using var owner = await HandoffHost.StartAsync(hub, connectionString, production, meter);
        await using var other = await HandoffHost.StartAsync(hub, connectionString, production with { EngineWorker = false, CommandWait = TimeSpan.FromSeconds(30) }, meter);
        var releaseDate = ChinaTime.LocalDate(owner.Time.GetUtcNow()).AddDays(10);
        var cases = new List<string>();
        for (var i = 0; i < options.CrossProcessSamples; i++)
        {
            cases.Add((await HandoffApi.RegisterAsync(owner, releaseDate)).CaseId);
        }

        // The second instance's first use of the engine's client checks the task hub exists (creates are no-ops): not a command's cost.
        await HandoffApi.AcknowledgeAsync(other, (await HandoffApi.RegisterAsync(owner, releaseDate)).CaseId);
        await Task.Delay(Wait.IdleGap(production.EffectivePolling));
        var (idle, idleLength) = await Wait.WindowAsync(meter, options.IdleWindow / 2);
        var seconds = new List<double>();
        var accepted = 0;
        var load = Machine.Load();
        var before = meter.Snapshot();
        var started = Stopwatch.GetTimestamp();
        foreach (var caseId in cases)
        {
            await Task.Delay(Wait.IdleGap(production.EffectivePolling));
            var answer = await HandoffApi.AcknowledgeAsync(other, caseId);
            seconds.Add(answer.Elapsed.TotalSeconds);
            accepted += answer.WasAccepted ? 1 : 0;
        }

        await Task.Delay(Wait.IdleGap(production.EffectivePolling));
        var cost = new Isolated(cases.Count, meter.Snapshot().Minus(before), Stopwatch.GetElapsedTime(started), idle.Total() / idleLength.TotalMinutes);
        Machine.Say($"commands from another instance: {Stats.Spread(seconds)} s; {cost.PerCommand:0.0} requests each beyond idle");
        return new Result(seconds, accepted, production.EffectivePolling, load, cost);
    }
}
