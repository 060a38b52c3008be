using System.Text.Json.Serialization;

namespace Handoff.Core.Notices;

/// <summary>What a notice says. Serialised in kebab-case.</summary>
public enum NoticeKind
{
    /// <summary>衔接通报: a release is coming (戒毒条例 34).</summary>
    [JsonStringEnumMemberName("release-notice")] ReleaseNotice,

    [JsonStringEnumMemberName("release-postponed")] ReleasePostponed,

    [JsonStringEnumMemberName("release-cancelled")] ReleaseCancelled,

    /// <summary>The person has left the centre, and who collected them.</summary>
    [JsonStringEnumMemberName("release-recorded")] ReleaseRecorded,

    /// <summary>A missed step, at one level of escalation.</summary>
    [JsonStringEnumMemberName("escalation")] Escalation,

    /// <summary>The missed step is now done: sent to everyone who was told of the escalation.</summary>
    [JsonStringEnumMemberName("escalation-resolved")] EscalationResolved,
}
