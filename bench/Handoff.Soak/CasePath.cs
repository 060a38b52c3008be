using Handoff.Core.Cases;

namespace Handoff.Soak;

/// <summary>The paths a case is driven through. Each has one expected final state; the late ones an escalation that must be resolved.</summary>
public enum CasePath
{
    /// <summary>Every step at once: acknowledged, released (family), reported, agreement signed. No escalation.</summary>
    OnTime,

    /// <summary>The office acknowledges only once the not-acknowledged escalation is open; then the rest on time.</summary>
    LateAcknowledgement,

    /// <summary>The centre records the release only once the release-not-recorded escalation is open.</summary>
    LateRelease,

    /// <summary>Released; the office records the report only once the person is lost (not-reported open); then the agreement.</summary>
    LateReport,

    /// <summary>Released and never reported: lost contact, the escalation climbs to the province and stays open.</summary>
    NeverReported,

    /// <summary>The release date is moved once; then the handoff completes on time.</summary>
    Postponed,

    /// <summary>Acknowledged, then the release is cancelled.</summary>
    Cancelled,

    /// <summary>Released with nobody at the gate (not-collected opens at once); the police station finds the person; then on time.</summary>
    NotCollectedFound,

    /// <summary>Registered two days before the release (late-notice opens at once, to the centre and its supervisor, and never climbs); the acknowledgement resolves it.</summary>
    LateNotice,

    /// <summary>No community rehabilitation ordered: acknowledged, released, completed.</summary>
    NoRehabilitation,
}

/// <summary>What a path must end as.</summary>
public static class CasePaths
{
    public static CaseState FinalState(CasePath path) => path switch
    {
        CasePath.NeverReported => CaseState.LostContact,
        CasePath.Cancelled => CaseState.Cancelled,
        CasePath.NoRehabilitation => CaseState.Completed,
        _ => CaseState.AgreementSigned,
    };

    /// <summary>The escalation the path provokes on purpose (it must exist at the end), if any.</summary>
    public static EscalationKind? Provoked(CasePath path) => path switch
    {
        CasePath.LateAcknowledgement => EscalationKind.NotAcknowledged,
        CasePath.LateRelease => EscalationKind.ReleaseNotRecorded,
        CasePath.LateReport or CasePath.NeverReported => EscalationKind.NotReported,
        CasePath.NotCollectedFound => EscalationKind.NotCollected,
        CasePath.LateNotice => EscalationKind.LateNotice,
        _ => null,
    };

    /// <summary>Days from registration to the planned release date.</summary>
    public static int DaysAhead(CasePath path) => path switch
    {
        CasePath.LateRelease => 4,
        // Less than the 3 days' notice of 戒毒条例 34, with a day to spare: a registration held up by an outage (kills, the Azurite
        // restart) for more than a workflow day would otherwise arrive after its release date and be refused, rightly.
        CasePath.LateNotice => 2,
        CasePath.Postponed => 6,
        CasePath.LateAcknowledgement => 20,
        _ => 12,
    };
}
