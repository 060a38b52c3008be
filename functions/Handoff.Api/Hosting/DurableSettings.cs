namespace Handoff.Api.Hosting;

/// <summary>
/// The Durable Task engine's settings for the Azure Storage backend. The Function App's <c>host.json</c>
/// (<c>extensions.durableTask</c>) and the self-host (<c>Handoff:Durable</c>) use the same values — a test says so — so that what runs
/// locally is what runs in Azure. docs/architecture.md explains each choice and its cost.
/// </summary>
public sealed record DurableSettings
{
    /// <summary>
    /// The engine's backend (<c>Handoff.Workflow.Engine.EngineBackend</c>): <c>AzureStorage</c>, the one built. Another is refused at
    /// start with what it would take (docs/architecture.md, "The engine behind one seam").
    /// </summary>
    public string Backend { get; init; } = "AzureStorage";

    /// <summary>
    /// Control-queue partitions: how many instances can run the case orchestrations of one hub at once. 16, the backend's maximum
    /// (issue 23): the one engine number that cannot change once a hub exists, chosen for the largest deployment, a national one. It
    /// costs idle requests — measured at our 10 s polling: 26 a minute with 1 partition, 62 with 4, 206 with 16 (docs/architecture.md,
    /// "Scale-out") — and nothing else. The default hub names carry it (<see cref="TaskHubName.Default"/>), and the self-host refuses a
    /// hub created with another count: a new count is a new hub and a move (docs/operations.md).
    /// </summary>
    public int PartitionCount { get; init; } = 16;

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
