using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.Benchmarks.Reporting;
using Handoff.Core.Cases;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Figure 3, production profile: real-rate clocks. A deadline ends at 24:00 Asia/Shanghai, so every deadline of a day ends at the
/// same instant; the benchmark gives each wave of <see cref="BenchOptions.TimerBurst"/> cases its own self-host and task hub whose
/// (real-rate) clock reaches 24:00 of the release day at a chosen real instant, 20 s after the previous wave's. Each case is
/// registered shortly before with that day as its release date, so its release deadline — one durable timer per case — ends at
/// that 24:00; nothing else is due. Lateness = the release-not-recorded escalation's opening − the deadline's end, from our read
/// model; the engine's floor: the same burst of minimal timers at one instant before the first wave.
/// </summary>
public static class TimerLateness
{
    private static readonly DateOnly ReleaseDay = new(2026, 3, 10);
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(20);

    public sealed record Result(
        IReadOnlyList<Escalations.Observed> Observed, int Cases, int Failed, int Waves, int Burst, IReadOnlyList<double> FloorSeconds, IReadOnlyList<double> FirstInWaveSeconds, string Load);

    public static async Task<Result> RunAsync(string connectionString, BenchOptions options, FloorSignals signals)
    {
        var (waves, burst) = (options.TimerWaves, options.TimerBurst);
        var now = TimeProvider.System.GetUtcNow();

        // Time to start the hosts and register every case (8 callers manage well over 10 a second here), then 30 s of quiet so the
        // pollers back off to their maximum, as they are at midnight.
        var registration = TimeSpan.FromSeconds(waves * 3 + (waves * burst / 8.0) + 20);
        var first = now + registration + TimeSpan.FromSeconds(30);

        var floorHub = HubNames.Next("floortimer");
        await using var floor = await FloorEngine.StartAsync(floorHub, connectionString, FloorProfile.Production, signals);
        var floorIds = Enumerable.Range(0, burst).Select(i => $"{floorHub}-{i}").ToList();
        using (Caller.As(Caller.Client))
        {
            foreach (var id in floorIds)
            {
                await floor.Client.ScheduleNewOrchestrationInstanceAsync(FloorOrchestrations.Timer, new FloorInput(FireAt: first.UtcDateTime), new StartOrchestrationOptions(id));
            }
        }

        var hosts = new List<HandoffHost>();
        try
        {
            for (var w = 1; w <= waves; w++)
            {
                var midnight = first + Spacing * w;
                var clockStart = ChinaTime.EndOfDay(ReleaseDay) - (midnight - TimeProvider.System.GetUtcNow());
                hosts.Add(await HandoffHost.StartAsync(HubNames.Next("timers"), connectionString, HostProfile.Production with { ClockStart = clockStart }));
            }

            var cases = new System.Collections.Concurrent.ConcurrentBag<(HandoffHost Host, string CaseId)>();
            var failed = 0;
            await Wait.ForEachAsync(hosts.SelectMany(h => Enumerable.Repeat(h, burst)), options.Concurrency, async host =>
            {
                try
                {
                    cases.Add((host, (await HandoffApi.RegisterAsync(host, ReleaseDay)).CaseId));
                }
                catch (InvalidOperationException ex)
                {
                    // Registered too late (after that hub's 24:00) or refused: counted, and the case is left out.
                    Interlocked.Increment(ref failed);
                    Machine.Say($"timers: a registration failed: {ex.Message[..Math.Min(200, ex.Message.Length)]}");
                }
            });
            var quiet = first - TimeProvider.System.GetUtcNow();
            Machine.Say($"timers: {cases.Count} cases registered in {waves} task hubs; {quiet.TotalSeconds:0} s of quiet before the first deadline"
                + (quiet < TimeSpan.FromSeconds(20) ? " (SHORT: the pollers may not have backed off fully)" : ""));
            var load = Machine.Load();

            // The last wave's deadline, its grace, and time to work through its burst.
            var last = first + Spacing * waves + HostProfile.Production.Grace;
            var observed = new List<Escalations.Observed>();
            var firstInWave = new List<double>();
            foreach (var host in hosts)
            {
                var ids = cases.Where(c => c.Host == host).Select(c => c.CaseId).ToList();
                var wave = await ReadAsync(host, ids, last + TimeSpan.FromMinutes(2));
                observed.AddRange(wave);
                if (wave.Count > 0)
                {
                    firstInWave.Add(wave.Min(o => o.Lateness.TotalSeconds));
                }
            }

            var floorSeconds = new List<double>();
            foreach (var id in floorIds)
            {
                var fired = await signals.WaitAsync(id, 1).WaitAsync(TimeSpan.FromMinutes(2));
                floorSeconds.Add((fired.ObservedAt!.Value - first.UtcDateTime).TotalSeconds);
            }

            Machine.Say($"timers: lateness {Stats.Spread(observed.Select(o => o.Lateness.TotalSeconds).ToList())} s, {observed.Count(o => o.Early)} early");
            return new Result(observed, cases.Count, failed, waves, burst, floorSeconds, firstInWave, load);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    /// <summary>Waits until every case has its release escalation (read as the benchmark), then returns them.</summary>
    private static async Task<List<Escalations.Observed>> ReadAsync(HandoffHost host, List<string> caseIds, DateTimeOffset giveUpAt)
    {
        using var bench = Caller.As(Caller.Bench);
        var found = new List<Escalations.Observed>();
        foreach (var caseId in caseIds)
        {
            while (true)
            {
                var (record, _) = await host.Cases.LoadAsync(caseId);
                var release = record is null ? [] : Escalations.Of(record.State, new HandoffPolicy().EscalationInterval)
                    .Where(o => o.What == $"{EscalationKind.ReleaseNotRecorded} opened").ToList();
                if (release.Count > 0)
                {
                    found.AddRange(release);
                    break;
                }

                if (TimeProvider.System.GetUtcNow() > giveUpAt)
                {
                    Machine.Say($"timers: case {caseId} has no release escalation by {giveUpAt:HH:mm:ss}");
                    break;
                }

                await Task.Delay(500);
            }
        }

        return found;
    }
}
