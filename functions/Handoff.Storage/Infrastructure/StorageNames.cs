namespace Handoff.Storage.Infrastructure;

/// <summary>Every table and queue of our own (the Durable Task hub has its own, named after the hub). docs/architecture.md explains the keys.</summary>
public static class StorageNames
{
    /// <summary>One partition per case: the case row, its history, its command records.</summary>
    public const string CasesTable = "Cases";

    /// <summary>One row per person with a case: the lock that keeps a person to one open case.</summary>
    public const string PersonsTable = "Persons";

    /// <summary>Supervisor and organisation views: partition = province, row = region + case.</summary>
    public const string CaseIndexTable = "CaseIndex";

    /// <summary>Each organisation's notices: partition = recipient, row = newest first.</summary>
    public const string InboxTable = "Inbox";

    /// <summary>The supervisors' figures: each case's facts, and sums per county and week (see RegionStatsStore).</summary>
    public const string RegionStatsTable = "RegionStats";

    /// <summary>The workflow clock's anchor, fixed once per task hub (one row).</summary>
    public const string ClockTable = "HandoffClock";

    /// <summary>Group-robot and e-mail deliveries: one partition per channel, its state, one record per notice, and what waits (ChannelStore).</summary>
    public const string ChannelsTable = "Channels";

    /// <summary>The prefix of the integrators' notice feeds: one queue per recipient organisation (JSON, see docs/notices.md).</summary>
    public const string NoticeFeedPrefix = "handoff-notices-";

    /// <summary>
    /// The recipient's own notice feed, <c>handoff-notices-{organisationId}</c>: an integration is granted its organisation's queue only,
    /// so it never sees another organisation's notices (戒毒条例 7②). Organisation ids are lowercase letters, digits and single hyphens,
    /// at most 47 characters (a queue name's rules); the directory refuses others.
    /// </summary>
    public static string NoticeFeed(string organisationId) =>
        IsQueueSafeId(organisationId) ? NoticeFeedPrefix + organisationId
            : throw new ArgumentException($"'{organisationId}' cannot name a queue: use lowercase letters, digits and single hyphens, at most 47 characters.", nameof(organisationId));

    /// <summary>Whether an organisation id can name its queue: lowercase letters, digits, single inner hyphens, 1–47 characters.</summary>
    public static bool IsQueueSafeId(string id) =>
        id.Length is > 0 and <= 63 - 16 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && id[0] != '-' && id[^1] != '-' && !id.Contains("--", StringComparison.Ordinal);

    /// <summary>Webhook deliveries still to make, retried with back-off.</summary>
    public const string WebhookQueue = "handoff-webhooks";

    /// <summary>Wake-ups of one channel each (<c>{"channel":"wecom-…"}</c>): a channel with notices waiting sends what its rate allows.</summary>
    public const string ChannelQueue = "handoff-channels";

    public static string Poison(string queue) => queue + "-poison";

    public static IReadOnlyList<string> Tables => [CasesTable, PersonsTable, CaseIndexTable, InboxTable, RegionStatsTable, ClockTable, ChannelsTable];

    /// <summary>The queues created up front (the per-recipient feeds are created on their first notice).</summary>
    public static IReadOnlyList<string> Queues =>
        [WebhookQueue, Poison(WebhookQueue), ChannelQueue, Poison(ChannelQueue)];
}
