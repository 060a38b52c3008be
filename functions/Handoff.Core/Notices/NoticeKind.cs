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

    /// <summary>A 强制隔离戒毒 decision: the person is to be delivered to the centre (禁毒法 41).</summary>
    [JsonStringEnumMemberName("delivery")] Delivery,

    /// <summary>A step of the file another organisation must know of: an intake, a reception, the family told.</summary>
    [JsonStringEnumMemberName("step-recorded")] StepRecorded,

    /// <summary>A person refused by a centre, with the reason: the sender acts (deliver elsewhere, keep and transfer again).</summary>
    [JsonStringEnumMemberName("refusal")] Refusal,

    /// <summary>A transfer from a public-security centre to a justice one is on its way (戒毒条例 27②).</summary>
    [JsonStringEnumMemberName("transfer")] Transfer,

    /// <summary>A proposal to change the term, or the decision on it (禁毒法 47, 戒毒条例 33).</summary>
    [JsonStringEnumMemberName("term-change")] TermChange,

    /// <summary>The release date the office was told of has changed (an escape, a decided term change).</summary>
    [JsonStringEnumMemberName("release-date-changed")] ReleaseDateChanged,

    /// <summary>A 社区戒毒 order: the office of the execution place and the 派出所 are told (戒毒条例 13).</summary>
    [JsonStringEnumMemberName("community-order")] CommunityOrder,

    /// <summary>A refusal or serious violation found, or the office's report of it to the police (戒毒条例 20, 21).</summary>
    [JsonStringEnumMemberName("violation")] Violation,

    /// <summary>A count one short of a threshold of 戒毒条例 20: the office is warned.</summary>
    [JsonStringEnumMemberName("violation-warning")] ViolationWarning,

    /// <summary>A change of the place of execution (戒毒条例 22).</summary>
    [JsonStringEnumMemberName("place-change")] PlaceChange,

    /// <summary>The community period expired, ended, or its 解除 notice was served (戒毒条例 23, 24, 40).</summary>
    [JsonStringEnumMemberName("community-ended")] CommunityEnded,

    /// <summary>
    /// A test message an organisation sent to its own channel (通知渠道 → 发送测试消息): goes only to that channel, never to an inbox.
    /// </summary>
    [JsonStringEnumMemberName("channel-test")] ChannelTest,
}
