using System.Text.Json.Serialization;

namespace Handoff.Core.Cases;

/// <summary>What was missed. Serialised in kebab-case (<c>not-reported</c>).</summary>
public enum EscalationKind
{
    /// <summary>The release was registered less than 3 days before the release date (戒毒条例 34).</summary>
    [JsonStringEnumMemberName("late-notice")] LateNotice,

    /// <summary>The receiving office did not acknowledge the notice in time.</summary>
    [JsonStringEnumMemberName("not-acknowledged")] NotAcknowledged,

    /// <summary>The centre did not record the release by 24:00 of the release date.</summary>
    [JsonStringEnumMemberName("release-not-recorded")] ReleaseNotRecorded,

    /// <summary>Nobody collected the person at the gate (出所必接).</summary>
    [JsonStringEnumMemberName("not-collected")] NotCollected,

    /// <summary>The person did not report within 15 days (戒毒条例 38).</summary>
    [JsonStringEnumMemberName("not-reported")] NotReported,

    /// <summary>No agreement signed in time after the report (戒毒条例 16).</summary>
    [JsonStringEnumMemberName("no-agreement")] NoAgreement,

    /// <summary>The deciding organ did not deliver the person to the centre in time.</summary>
    [JsonStringEnumMemberName("not-delivered")] NotDelivered,

    /// <summary>The centre refused the person; the deciding organ must deliver them elsewhere.</summary>
    [JsonStringEnumMemberName("intake-refused")] IntakeRefused,

    /// <summary>The family, work unit and 派出所 were not told of a decision within 24 hours (禁毒法 40, 戒毒条例 33).</summary>
    [JsonStringEnumMemberName("not-notified")] NotNotified,

    /// <summary>A public-security centre kept the person past the end of the transfer window (戒毒条例 27).</summary>
    [JsonStringEnumMemberName("not-transferred")] NotTransferred,

    /// <summary>The receiving justice centre did not record the reception in time.</summary>
    [JsonStringEnumMemberName("not-received")] NotReceived,

    /// <summary>The receiving justice centre refused the person; the sending centre still holds them.</summary>
    [JsonStringEnumMemberName("reception-refused")] ReceptionRefused,

    /// <summary>The justice centre did not tell the family of the reception in time (policy).</summary>
    [JsonStringEnumMemberName("family-not-told")] FamilyNotTold,

    /// <summary>The deciding organ did not decide a term proposal within 7 days (戒毒条例 33).</summary>
    [JsonStringEnumMemberName("term-decision-late")] TermDecisionLate,

    /// <summary>The centre did not send the release notice 3 days before the term ends (戒毒条例 34).</summary>
    [JsonStringEnumMemberName("notice-not-sent")] NoticeNotSent,

    /// <summary>No test or interview recorded within the contact period (失联; policy).</summary>
    [JsonStringEnumMemberName("no-contact")] NoContact,

    /// <summary>A refusal or serious violation not reported to the police in time (戒毒条例 21).</summary>
    [JsonStringEnumMemberName("violation-not-reported")] ViolationNotReported,

    /// <summary>The receiving office did not acknowledge a change of place's file in time (戒毒条例 22).</summary>
    [JsonStringEnumMemberName("move-not-acknowledged")] MoveNotAcknowledged,

    /// <summary>A change of place's file was sent after its policy period: told at once, it cannot be remedied.</summary>
    [JsonStringEnumMemberName("file-late")] FileLate,

    /// <summary>The 解除 notice not served, or the office not told, within 7 days of expiry (戒毒条例 23, 40).</summary>
    [JsonStringEnumMemberName("end-notice-late")] EndNoticeLate,

    /// <summary>The office did not send the materials for the 解除 in time (重庆 §37; a setting).</summary>
    [JsonStringEnumMemberName("end-materials-late")] EndMaterialsLate,
}
