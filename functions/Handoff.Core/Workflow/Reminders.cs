using Handoff.Core.Cases;

namespace Handoff.Core.Workflow;

/// <summary>
/// Reminders before a deadline (a policy, <see cref="HandoffPolicy.ReminderDaysBeforeRelease"/> and
/// <see cref="HandoffPolicy.ReminderDaysBeforeReport"/>): which of a case's open deadlines an organisation should be reminded of on a
/// day. Pure; the inbox draws them from the organisation's open cases each time it is read, so a reminder needs no timer and goes away
/// the moment its step is done.
/// </summary>
public static class Reminders
{
    /// <summary>
    /// The deadlines of <paramref name="deadlines"/> that <paramref name="role"/> is reminded of on <paramref name="today"/>: open, not
    /// provisional unless it is the release's own, and within the policy's days of their last day (the last day included). Nothing
    /// once the last day has passed: that is an escalation's business.
    /// </summary>
    public static IReadOnlyList<Deadline> Due(IEnumerable<Deadline> deadlines, CaseRole role, DateOnly today, HandoffPolicy policy) =>
        [.. deadlines.Where(d => d.Status == DeadlineStatus.Open && (!d.Provisional || d.Step == DeadlineStep.Release)
            && Days(d.Step, role, policy) is > 0 and var days
            && today >= d.LastDay.AddDays(-days) && today <= d.LastDay)];

    private static int Days(DeadlineStep step, CaseRole role, HandoffPolicy policy) => (step, role) switch
    {
        // The centre records the release; the office and the police station arrange the pickup at the gate (出所必接).
        (DeadlineStep.Release, CaseRole.Centre or CaseRole.Office or CaseRole.PoliceStation) => policy.ReminderDaysBeforeRelease,
        // The office receives the report (戒毒条例 38).
        (DeadlineStep.Report, CaseRole.Office) => policy.ReminderDaysBeforeReport,
        _ => 0,
    };
}

/// <summary>The part an organisation has in a case.</summary>
public enum CaseRole
{
    Centre,
    Office,
    PoliceStation,
    DecisionAuthority,
    Other,
}
