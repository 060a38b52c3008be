namespace Handoff.Api.Hosting;

/// <summary>
/// The Durable Task engine's settings for the Azure Storage backend. The Function App's <c>host.json</c>
/// (<c>extensions.durableTask</c>) and the self-host (<c>Handoff:Durable</c>) use the same values — a test says so — so that what runs
/// locally is what runs in Azure. docs/architecture.md explains each choice and its cost.
/// </summary>
public sealed record DurableSettings
{
    /// <summary>
    /// Control-queue partitions. 1: the cheapest for one instance (26 idle requests a minute at our 10 s polling, 18 at 30 s, against 42 with 4 at 30 s), and a province's few
    /// thousand cases are far below what one partition's worker handles. It cannot change once a task hub exists.
    /// </summary>
    public int PartitionCount { get; init; } = 1;

    /// <summary>The longest the engine's queue pollers back off when idle: bounds the lateness of timers and of events from other processes.</summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long messages a crashed worker had dequeued stay hidden before another worker takes them (default 5 min).</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Likewise for activity messages.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public int MaxConcurrentActivityFunctions { get; init; } = 16;

    public int MaxConcurrentOrchestratorFunctions { get; init; } = 16;

    /// <summary>Long waits are split into timer pieces of at most this (Azure Storage hides a message at most 7 days).</summary>
    public TimeSpan MaximumTimerInterval { get; init; } = TimeSpan.FromDays(6);
}
