using Handoff.Core.Cases;

namespace Handoff.Core.Statistics;

/// <summary>Who answers for what: each figure counts against the unit responsible for the step.</summary>
public static class Measures
{
    /// <summary>
    /// The unit a measure counts against: the centre for its notice (戒毒条例 34: it notifies at least 3 days ahead); the receiving office
    /// for acknowledgement, collection at the gate (出所必接: the receiving side arranges who collects), report and agreement.
    /// </summary>
    /// The community period's measures count where the person is executed (the 解除 notice too: the deciding organ's act, counted where it is
    /// owed, a 社区戒毒 file having no centre).
    public static UnitRoles Responsible(Measure measure) => measure == Measure.Notice ? UnitRoles.Centre : UnitRoles.Office;

    /// <summary>
    /// The unit an escalation counts against: the centre for a late notice and an unrecorded release, and for every escalation before the
    /// release notice (the file is where the centre is; a deciding organ's missed step counts there too: the figures have no place of
    /// their own for it); the office for the rest, the community period's included.
    /// </summary>
    public static UnitRoles Responsible(EscalationKind kind) => kind switch
    {
        EscalationKind.NotAcknowledged or EscalationKind.NotCollected or EscalationKind.NotReported or EscalationKind.NoAgreement
            or EscalationKind.NoContact or EscalationKind.ViolationNotReported or EscalationKind.MoveNotAcknowledged or EscalationKind.FileLate
            or EscalationKind.EndNoticeLate or EscalationKind.EndMaterialsLate => UnitRoles.Office,
        _ => UnitRoles.Centre,
    };
}
