namespace Handoff.Core.Cases;

/// <summary>Where a handoff stands. Serialised in camelCase (<c>agreementSigned</c>).</summary>
public enum CaseState
{
    /// <summary>Registered by the centre; the release notice has gone to the office, police station and deciding organ.</summary>
    Scheduled,

    /// <summary>The receiving office acknowledged the release notice.</summary>
    Acknowledged,

    /// <summary>The centre recorded the release; the person must report within 15 days (戒毒条例 38).</summary>
    Released,

    /// <summary>The person reported to the office; the agreement is due.</summary>
    Reported,

    /// <summary>The agreement is signed: the handoff is complete and community rehabilitation is under way.</summary>
    AgreementSigned,

    /// <summary>The report period passed without a report (脱失). A late report still moves the case to <see cref="Reported"/>.</summary>
    LostContact,

    /// <summary>The release was withdrawn before it happened.</summary>
    Cancelled,

    /// <summary>Released without community rehabilitation ordered: the handoff ended at the gate and the police notice.</summary>
    Completed,

    /// <summary>The deciding 公安机关 decided 强制隔离戒毒 and must deliver the person to the centre (禁毒法 41).</summary>
    Decided,

    /// <summary>In a centre, serving the term (戒毒条例 27), before the centre's release notice.</summary>
    InCentre,

    /// <summary>Sent from a public-security centre to a justice one, not yet received (戒毒条例 27②).</summary>
    Transferring,
}
