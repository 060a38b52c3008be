namespace Handoff.Core.Cases;

/// <summary>The steps that carry a deadline.</summary>
public enum DeadlineStep
{
    /// <summary>The deciding organ delivers the person to the centre (禁毒法 41; the period is policy: no national figure).</summary>
    Delivery,

    /// <summary>The deciding organ tells the family, work unit and 户籍地派出所 of the decision within 24 hours (禁毒法 40).</summary>
    DecisionNotices,

    /// <summary>A public-security centre transfers the person to a justice one within 6 months of intake, 12 under a provincial plan
    /// (戒毒条例 27②③).</summary>
    Transfer,

    /// <summary>The receiving justice centre records the reception (or refuses) — no national period: policy.</summary>
    Reception,

    /// <summary>The receiving justice centre tells the family in writing after reception (reported practice, not law: policy).</summary>
    ReceptionNotice,

    /// <summary>The deciding organ decides a proposal to change the term within 7 days (戒毒条例 33).</summary>
    TermDecision,

    /// <summary>The deciding organ tells the family, work unit and 派出所 of a term change within 24 hours of service (戒毒条例 33).</summary>
    TermNotices,

    /// <summary>The centre notifies 3 days before release (戒毒条例 34).</summary>
    Notice,

    /// <summary>The receiving office acknowledges the notice (policy).</summary>
    Acknowledgement,

    /// <summary>The centre records the release by 24:00 of the release date.</summary>
    Release,

    /// <summary>The person reports to the office within 15 days (戒毒条例 38).</summary>
    Report,

    /// <summary>The office signs the agreement "及时" after the report (戒毒条例 16; the day count is policy).</summary>
    Agreement,

    /// <summary>The office keeps in contact (a test or an interview) at least every <c>ContactDays</c> (policy: the 脱失 measure, chain.md §6).</summary>
    Contact,

    /// <summary>The office reports a refusal or serious violation to the police "及时" (戒毒条例 21; the day count is policy).</summary>
    ViolationReport,

    /// <summary>Not a duty: the day an absence without leave goes past 30 days in all (戒毒条例 20). Reaching it is a serious violation.</summary>
    AwayLimit,

    /// <summary>The sending office sends a change of place's file after the person reported the move (戒毒条例 22; policy, 重庆 §36).</summary>
    MoveFile,

    /// <summary>The receiving office acknowledges the file of a change of place (戒毒条例 22; policy).</summary>
    MoveAcknowledgement,

    /// <summary>The person reports to the new office within 15 days of the change (戒毒条例 22②).</summary>
    MoveReport,

    /// <summary>The new office signs a new agreement (戒毒条例 22③, 16 "及时"; policy).</summary>
    MoveAgreement,

    /// <summary>The office sends the agreement and materials for the 解除 some working days before the period's end (重庆 §37; a setting,
    /// off by default).</summary>
    EndMaterials,

    /// <summary>Not a duty: the community period's last day (戒毒条例 14②, 23, 37, 40). Reaching it ends the period.</summary>
    Expiry,

    /// <summary>The 公安机关 serves the 解除 notice and tells the office within 7 days of expiry (戒毒条例 23, 40).</summary>
    EndNotice,
}
