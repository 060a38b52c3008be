using System.Globalization;
using System.Runtime.InteropServices;

namespace Handoff.Soak;

/// <summary>The printed result of a run: the counts that must be 0, and what the run did to the system.</summary>
public static class Report
{
    public static void Print(
        SoakOptions o, IReadOnlyList<CaseScript> scripts, DriveResult drive, Counts counts, TimeSpan? convergedAfter, Cluster cluster,
        AzuriteHost azurite, HandoffClient api, LoadSampler load, string work)
    {
        var w = Console.Out;
        w.WriteLine();
        w.WriteLine($"Handoff soak, {TimeProvider.System.GetLocalNow():yyyy-MM-dd HH:mm zzz}, {Environment.MachineName}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}");
        w.WriteLine($"  machine load (1-minute average, sampled every 10 s): mean {load.Mean:0.0}, max {load.Max:0.0}");
        w.WriteLine($"  {scripts.Count} cases on {cluster.Processes.Count} self-host processes, one task hub, one Azurite on disk; a workflow day every {Seconds(o.Day)}, " +
                    $"grace {Seconds(o.Grace)}, queue visibility {Seconds(o.Visibility)}, a kill every {Seconds(o.KillEvery)}");
        w.WriteLine($"  paths: {string.Join(", ", scripts.GroupBy(s => s.Path).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
        w.WriteLine($"  driven for {Minutes(drive.Duration)}: {api.Requests} requests, {api.ConnectionFailures} unanswered (refused, reset, timed out), " +
                    $"{api.ServerErrors} answered 5xx, {api.Accepted} answered 202; every one retried with its Idempotency-Key");
        w.WriteLine();
        w.WriteLine($"  {cluster.Kills,6}  self-host processes SIGKILLed (and restarted); {cluster.Processes.Sum(p => p.UnplannedExits)} exits we did not cause");
        var starts = cluster.Processes.SelectMany(p => p.StartTimes).Order().ToList();
        if (starts.Count > 0)
        {
            w.WriteLine($"          a start took {Seconds(starts[starts.Count / 2])} (median), {Seconds(starts[^1])} at most, until /healthz answered");
        }

        w.WriteLine($"  {azurite.Restarts,6}  Azurite SIGKILLed and restarted on the same ports and data" +
                    (azurite.Restarts == 0 ? "" : drive.AzuriteKilledAfterSave is { } s ? $" ({s.TotalMilliseconds:0} ms after it saved its data)" : " (blind: whatever it had not saved was lost)"));
        if (o.AzuriteOutage > TimeSpan.Zero)
        {
            w.WriteLine($"  {azurite.Outages,6}  Azurite outage(s): SIGKILLed and started again only after {(drive.OutageDown is { } down ? Seconds(down) : "—")} on the same ports and data" +
                        (azurite.Outages == 0 ? " (did not happen)" : drive.OutageKilledAfterSave is { } os ? $" ({os.TotalMilliseconds:0} ms after it saved its data); the self-hosts kept running, no kills meanwhile" : " (blind)"));
        }

        w.WriteLine(convergedAfter is { } after
            ? $"  {after.TotalSeconds,5:0}s  after the last kill, every count below was 0 (converged)"
            : $"      —  NOT converged within {Minutes(o.SettleTimeout)} of the chaos stopping");
        w.WriteLine();
        foreach (var f in counts.All)
        {
            w.WriteLine($"  {f.Count,6}  {f.Title}");
        }

        if (!counts.HealthRead)
        {
            w.WriteLine("          (/healthz did not answer at the last check: blocked cases were counted from the CaseIndex only)");
        }

        w.WriteLine();
        w.WriteLine($"  not counted: {counts.LateByOutage.Count} {counts.LateByOutage.Title};");
        w.WriteLine($"  {scripts.Sum(s => s.Notes.Count)} script notes; {scripts.Count(s => s.Steps.Any(r => r.Attempts > 1))} cases needed retries");
        foreach (var f in counts.All.Where(f => f.Count > 0))
        {
            w.WriteLine();
            w.WriteLine($"  {f.Title}, first {f.Examples.Count}:");
            foreach (var example in f.Examples)
            {
                w.WriteLine($"    {example}");
            }
        }

        foreach (var example in counts.LateByOutage.Examples.Take(4))
        {
            w.WriteLine($"    late: {example}");
        }

        foreach (var note in scripts.SelectMany(s => s.Notes.Select(n => $"{s.CaseId} ({s.Path}): {n}")).Take(8))
        {
            w.WriteLine($"    note: {note}");
        }

        w.WriteLine();
        w.WriteLine($"  logs: {string.Join(" ", cluster.Processes.Select(p => Path.Combine(work, $"selfhost-{p.Number}.log")))}");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Minutes(TimeSpan t) => $"{(int)t.TotalMinutes} min {t.Seconds} s";
}
