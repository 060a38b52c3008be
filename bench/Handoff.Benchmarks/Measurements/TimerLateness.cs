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
/// (real-rate) clock reaches 24:00 of the release day at a chosen real instant, at least 20 s after the previous wave's and 30 s
/// after its own cases are registered (with that day as their release date), so its release deadline — one durable timer per case — ends at
/// that 24:00; nothing else is due. Lateness = the release-not-recorded escalation's opening − the deadline's end, from our read
/// model; the engine's floor: the same burst of minimal timers at one instant before the first wave.
/// </summary>
public static class TimerLateness
{
    private static readonly DateOnly ReleaseDay = new(2026, 3, 10);
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(20);

    public sealed record Result(
        IReadOnlyList<Escalations.Observed> Observed, int Cases, int Failed, int ShortQuiet, int Waves, int Burst, IReadOnlyList<double> FloorSeconds, IReadOnlyList<double> FirstInWaveSeconds, string Load);

    public static async Task<Result> RunAsync(string connectionString, BenchOptions options, FloorSignals signals)
    {
        var (waves, burst) = (options.TimerWaves, options.TimerBurst);

        // Each wave gets time to start its host and register its cases — at the slowest rate a wave managed so far, with a margin
        // (the first assumes 4 a second; a shared machine can be much slower) — then 30 s of quiet so its pollers back off to their
        // maximum, as they are at midnight; and its 24:00 falls at least 20 s after the previous wave's. The next wave is set up
        // while this one waits. A case registered after its hub's 24:00 is refused (release date past): more waves follow until
        // waves × burst cases are in, at most twice as many waves as planned.
        var quietGap = TimeSpan.FromSeconds(30);
        var perSecond = 4.0;

        var floorHub = HubNames.Next("floortimer");
        var floorAt = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(burst / 10.0 + 10) + quietGap;
        await using var floor = await FloorEngine.StartAsync(floorHub, connectionString, FloorProfile.Production, signals);
        var floorIds = Enumerable.Range(0, burst).Select(i => $"{floorHub}-{i}").ToList();
        using (Caller.As(Caller.Client))
        {
            foreach (var id in floorIds)
            {
                await floor.Client.ScheduleNewOrchestrationInstanceAsync(FloorOrchestrations.Timer, new FloorInput(FireAt: floorAt.UtcDateTime), new StartOrchestrationOptions(id));
            }
        }

        var hosts = new List<(HandoffHost Host, DateTimeOffset Midnight, List<string> Cases)>();
        var failed = 0;
        var shortQuiet = 0;
        var load = Machine.Load();
        try
        {
            var previous = floorAt;
            while (hosts.Sum(h => h.Cases.Count) < waves * burst && hosts.Count < waves * 2)
            {
                var wanted = Math.Min(burst, waves * burst - hosts.Sum(h => h.Cases.Count));
                var setup = TimeSpan.FromSeconds(10 + burst / perSecond * 1.5);
                var midnight = Max(previous + Spacing, TimeProvider.System.GetUtcNow() + setup + quietGap);
                var clockStart = ChinaTime.EndOfDay(ReleaseDay) - (midnight - TimeProvider.System.GetUtcNow());
                var host = await HandoffHost.StartAsync(HubNames.Next("timers"), connectionString, HostProfile.Production with { ClockStart = clockStart });
                var cases = new System.Collections.Concurrent.ConcurrentBag<string>();
                var registering = System.Diagnostics.Stopwatch.StartNew();
                await Wait.ForEachAsync(Enumerable.Range(0, wanted), options.Concurrency, async _ =>
                {
                    try
                    {
                        cases.Add((await HandoffApi.RegisterAsync(host, ReleaseDay)).CaseId);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
                    {
                        // Registered too late (after that hub's 24:00) or refused: counted, and the case is left out.
                        Interlocked.Increment(ref failed);
                        Machine.Say($"timers: a registration failed: {ex.Message[..Math.Min(200, ex.Message.Length)]}");
                    }
                });
                perSecond = Math.Min(perSecond, Math.Max(0.5, wanted / Math.Max(0.1, registering.Elapsed.TotalSeconds)));
                hosts.Add((host, midnight, [.. cases]));
                previous = midnight;
                if (midnight - TimeProvider.System.GetUtcNow() < TimeSpan.FromSeconds(20))
                {
                    shortQuiet++;
                }
            }

            Machine.Say($"timers: {hosts.Sum(h => h.Cases.Count)} cases registered in {hosts.Count} task hubs"
                + (shortQuiet > 0 ? $"; {shortQuiet} wave(s) had under 20 s of quiet before their deadline (pollers not fully backed off)" : ""));

            var observed = new List<Escalations.Observed>();
            var firstInWave = new List<double>();
            foreach (var (host, midnight, cases) in hosts)
            {
                var wave = await ReadAsync(host, cases, midnight + HostProfile.Production.EffectiveGrace + TimeSpan.FromMinutes(3));
                observed.AddRange(wave);
                if (wave.Count > 0)
                {
                    firstInWave.Add(wave.Min(o => o.Lateness.TotalSeconds));
                }
            }

            var floorSeconds = new List<double>();
            foreach (var id in floorIds)
            {
                var fired = await signals.WaitAsync(id, 1).WaitAsync(TimeSpan.FromMinutes(3));
                floorSeconds.Add((fired.ObservedAt!.Value - floorAt.UtcDateTime).TotalSeconds);
            }

            Machine.Say($"timers: lateness {Stats.Spread(observed.Select(o => o.Lateness.TotalSeconds).ToList())} s, {observed.Count(o => o.Early)} early");
            return new Result(observed, hosts.Sum(h => h.Cases.Count), failed, shortQuiet, hosts.Count, burst, floorSeconds, firstInWave, load);
        }
        finally
        {
            foreach (var (host, _, _) in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

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
