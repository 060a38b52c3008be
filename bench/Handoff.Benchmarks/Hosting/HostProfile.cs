namespace Handoff.Benchmarks.Hosting;

/// <summary>The settings a self-host under test runs with. The defaults are the production ones (README, <c>DurableSettings</c>).</summary>
public sealed record HostProfile
{
    public int PartitionCount { get; init; } = 1;

    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The orchestration's grace past a deadline (production default 15 s).</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a command waits for its orchestration before answering 202 (default 2 s).</summary>
    public TimeSpan CommandWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Run the reconciler and webhook loops in the host (production: yes; off where they would blur an attribution).</summary>
    public bool Workers { get; init; }

    /// <summary>Run the engine's worker; false gives an API-only instance that does not own the partition.</summary>
    public bool EngineWorker { get; init; } = true;

    /// <summary>A development clock: the workflow instant at start, and its speed (1: the real rate).</summary>
    public DateTimeOffset? ClockStart { get; init; }

    public double ClockSpeed { get; init; } = 1;

    public TimeSpan? MaximumTimerInterval { get; init; }

    public static HostProfile Production { get; } = new();
}
