using Handoff.Core.Cases;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Reads a case's escalations from our read model and pairs each timer-driven one with the instant it was due: an opening with
/// the end of its step's deadline, a climb to level n with its anchor + (n − 1) × the escalation interval (the anchor is the
/// deadline's end, or for a late notice, which opens at registration, its opening). Early: it happened before that instant.
/// </summary>
public static class Escalations
{
    /// <param name="Due">When it was due (workflow time).</param>
    /// <param name="At">When the case applied it (workflow time: the tick's instant).</param>
    public sealed record Observed(string CaseId, string What, DateTimeOffset Due, DateTimeOffset At)
    {
        public TimeSpan Lateness => At - Due;

        public bool Early => At < Due;
    }

    public static IEnumerable<Observed> Of(Case c, TimeSpan interval)
    {
        foreach (var e in c.Escalations)
        {
            DateTimeOffset anchor;
            if (e.Kind == EscalationKind.LateNotice)
            {
                anchor = e.OpenedAt; // opened by the registration itself, not by a timer
            }
            else
            {
                var step = e.Kind switch
                {
                    EscalationKind.NotAcknowledged => DeadlineStep.Acknowledgement,
                    EscalationKind.ReleaseNotRecorded => DeadlineStep.Release,
                    EscalationKind.NotReported => DeadlineStep.Report,
                    _ => DeadlineStep.Agreement,
                };
                anchor = c.DeadlineFor(step)!.DueAt;
                yield return new Observed(c.CaseId, $"{e.Kind} opened", anchor, e.OpenedAt);
            }

            foreach (var climb in e.Recipients.Where(r => r.Level > 1).GroupBy(r => r.Level))
            {
                // A late notice goes to the centre's supervisor at once (level 2 with no wait: it cannot be remedied); the others climb a level an interval.
                var due = e.Kind == EscalationKind.LateNotice ? anchor : anchor + interval * (climb.Key - 1);
                yield return new Observed(c.CaseId, $"{e.Kind} level {climb.Key}", due, climb.Min(r => r.NotifiedAt));
            }
        }
    }
}
