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

    /// <summary>
    /// Someone tried to register a person who already has an open case: told only to the supervisors who may see that case, never to
    /// the registering centre (戒毒条例 7②), so the double record is resolved by someone entitled to see it.
    /// </summary>
    [JsonStringEnumMemberName("duplicate-registration")] DuplicateRegistration,
}
