using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.Benchmarks.Reporting;
using Handoff.Core.Time;
using Handoff.Core.Workflow;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Figure 3, demo profile: the README's demo — only the development clock, at one hour a second (<c>Handoff:Clock:Speed=3600</c>, from
/// Monday 2 March 2026 00:00), the polling interval and the grace left to the host's defaults for a fast clock (1 s and 1 s). Cases registered that morning for a release on the 4th (a
/// late notice) and then left alone miss the acknowledgement (24:00 on the 3rd) and the release (24:00 on the 4th); both
/// escalations climb daily up their ladders, and the late notice climbs a day and two days after registration — six timers a case
/// over five legal days (two minutes). Every opening and climb is read from our read model and compared with the instant it was due:
/// none may be early, none more than 2 legal hours (2 s) late.
/// </summary>
public static class DemoTimers
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, ChinaTime.Offset);

    /// <param name="CaughtUpAfter">Real time past the last due instant (plus grace and margin) until every tick was applied.</param>
    /// <param name="Unapplied">Cases that still had a step due by the end unapplied when the benchmark gave up.</param>
    public sealed record Result(
        IReadOnlyList<Escalations.Observed> Observed, int Cases, int Timers, TimeSpan CaughtUpAfter, int Unapplied, string Load, TimeSpan Polling, TimeSpan Grace)
    {
        /// <summary>Per due instant (a workflow midnight, or a late notice's climb), the lateness of the first case served: the polling.</summary>
        public IReadOnlyList<double> FirstPerInstantHours =>
            [.. Observed.GroupBy(o => o.Due).Select(g => g.Min(o => o.Lateness.TotalHours))];

        /// <summary>How many due at the same instant, at most.</summary>
        public int LargestBurst => Observed.Count == 0 ? 0 : Observed.Select(o => (o.CaseId, o.Due)).Distinct().GroupBy(x => x.Due).Max(g => g.Count());
    }

    public static async Task<Result> RunAsync(string connectionString, BenchOptions options)
    {
        var profile = HostProfile.Demo(Start);
        await using var host = await HandoffHost.StartAsync(HubNames.Next("demo"), connectionString, profile);
        var releaseDate = DateOnly.FromDateTime(Start.DateTime).AddDays(2);
        var cases = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Wait.ForEachAsync(Enumerable.Range(0, options.DemoCases), options.Concurrency, async _ =>
        {
            try
            {
                cases.Add((await HandoffApi.RegisterAsync(host, releaseDate)).CaseId);
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
            {
                Machine.Say($"demo: a registration failed, the case is left out: {ex.Message[..Math.Min(200, ex.Message.Length)]}");
            }
        });
        Machine.Say($"demo: {cases.Count} cases registered by {host.Time.GetUtcNow():yyyy-MM-dd HH:mm} (workflow time)");
        var load = Machine.Load();

        // The last climbs: the acknowledgement's at 24:00 three days after its deadline (the day after registration), the release's two
        // days after the release date. Wait for that instant in real time, the grace, and a margin to work through it.
        var registeredBy = ChinaTime.LocalDate(host.Time.GetUtcNow());
        var last = new[] { registeredBy.AddDays(4), releaseDate.AddDays(2) }.Max();
        var end = host.Time.Clock.ToReal(ChinaTime.EndOfDay(last)) + profile.EffectiveGrace + TimeSpan.FromSeconds(15);
        var pause = end - TimeProvider.System.GetUtcNow();
        if (pause > TimeSpan.Zero)
        {
            await Task.Delay(pause);
        }

        // A burst the machine cannot work through within the day leaves ticks queued: wait (at most 10 minutes) until no case has a
        // step due by then still unapplied, so that every timer is counted.
        var lastDue = ChinaTime.EndOfDay(last);
        var giveUpAt = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(10);
        var observed = new List<Escalations.Observed>();
        var unapplied = 0;
        using (Caller.As(Caller.Bench))
        {
            while (true)
            {
                observed.Clear();
                unapplied = 0;
                foreach (var caseId in cases)
                {
                    var (record, _) = await host.Cases.LoadAsync(caseId);
                    observed.AddRange(Escalations.Of(record!.State, new HandoffPolicy().EscalationInterval));
                    unapplied += CaseWorkflow.NextDueAt(record.State) is { } due && due <= lastDue ? 1 : 0;
                }

                if (unapplied == 0 || TimeProvider.System.GetUtcNow() > giveUpAt)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        }

        var caughtUpAfter = TimeProvider.System.GetUtcNow() - end;

        var timers = observed.Select(o => (o.CaseId, o.Due)).Distinct().Count();
        Machine.Say($"demo: {observed.Count} escalations and climbs ({timers} timers), {observed.Count(o => o.Early)} early, "
            + $"lateness {Stats.Spread(observed.Select(o => o.Lateness.TotalHours).ToList(), "0.00")} legal hours");
        return new Result(observed, cases.Count, timers, caughtUpAfter, unapplied, load, profile.EffectivePolling, profile.EffectiveGrace);
    }
}
