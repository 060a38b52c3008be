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

    /// <summary>The polling interval of the demo profile, and the default under a development clock faster than real time.</summary>
    public static readonly TimeSpan DemoPollingInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The self-host's settings (<c>Handoff:Durable</c>). Under a development clock faster than real time (<c>Handoff:Clock:Speed</c>),
    /// polling is real time and every real second a legal hour or more of lateness: unless set, the demo's 1 second.
    /// </summary>
    public static DurableSettings From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var settings = new DurableSettings();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection("Handoff:Durable"), settings);
        var fastClock = double.TryParse(configuration["Handoff:Clock:Speed"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var speed) && speed > 1;
        return fastClock && string.IsNullOrEmpty(configuration["Handoff:Durable:MaxQueuePollingInterval"])
            ? settings with { MaxQueuePollingInterval = DemoPollingInterval }
            : settings;
    }
}
