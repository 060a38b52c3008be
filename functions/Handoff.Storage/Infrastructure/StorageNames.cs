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

    /// <summary>The workflow clock's anchor, fixed once per task hub (one row).</summary>
    public const string ClockTable = "HandoffClock";

    /// <summary>The notice feed for integrators (JSON, see docs/notices.md). We only write it.</summary>
    public const string NoticeFeedQueue = "handoff-notices";

    /// <summary>Webhook deliveries still to make, retried with back-off.</summary>
    public const string WebhookQueue = "handoff-webhooks";

    public static string Poison(string queue) => queue + "-poison";

    public static IReadOnlyList<string> Tables => [CasesTable, PersonsTable, CaseIndexTable, InboxTable, ClockTable];

    public static IReadOnlyList<string> Queues =>
        [NoticeFeedQueue, WebhookQueue, Poison(WebhookQueue)];
}
