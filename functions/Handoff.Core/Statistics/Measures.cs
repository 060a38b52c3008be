using Handoff.Core.Cases;

namespace Handoff.Core.Statistics;

/// <summary>Who answers for what: each figure counts against the unit responsible for the step.</summary>
public static class Measures
{
    /// <summary>
    /// The unit a measure counts against: the centre for its notice (戒毒条例 34: it notifies at least 3 days ahead); the receiving office
    /// for acknowledgement, collection at the gate (出所必接: the receiving side arranges who collects), report and agreement.
    /// </summary>
    public static UnitRoles Responsible(Measure measure) => measure == Measure.Notice ? UnitRoles.Centre : UnitRoles.Office;

    /// <summary>The unit an escalation counts against: the centre for a late notice and an unrecorded release; the office for the rest.</summary>
    public static UnitRoles Responsible(EscalationKind kind) =>
        kind is EscalationKind.LateNotice or EscalationKind.ReleaseNotRecorded ? UnitRoles.Centre : UnitRoles.Office;
}
