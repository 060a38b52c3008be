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
}
