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

    /// <summary>The agreement is signed: the community period (社区康复 or 社区戒毒) is under way, to its end (戒毒条例 16, 23, 40).</summary>
    AgreementSigned,

    /// <summary>The report period passed without a report (脱失; for a 社区戒毒 order "视为拒绝", 戒毒条例 14①). A late report still moves
    /// the case to <see cref="Reported"/>.</summary>
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

    /// <summary>The 公安机关 ordered 社区戒毒 (禁毒法 33; 戒毒条例 13): the person must report within 15 days of service (条例 14①).</summary>
    Ordered,

    /// <summary>The community period is suspended by detention or arrest (戒毒条例 24②); it resumes on release.</summary>
    Suspended,

    /// <summary>The community period ended: expired (戒毒条例 23, 40), or terminated by a sentence or a compulsory measure (条例 24①).</summary>
    Ended,
}
