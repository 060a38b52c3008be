using Handoff.Api.Hosting;

namespace Handoff.Benchmarks.Hosting;

/// <summary>The settings a self-host under test runs with. The defaults are the production ones (README, <c>DurableSettings</c>).</summary>
public sealed record HostProfile
{
    public int PartitionCount { get; init; } = new DurableSettings().PartitionCount;

    /// <summary>
    /// <c>Handoff:Durable:MaxQueuePollingInterval</c>; null leaves it to the host's default (10 s, or 1 s under a development clock
    /// faster than real time: <see cref="DurableSettings.From"/>).
    /// </summary>
    public TimeSpan? MaxQueuePollingInterval { get; init; } = new DurableSettings().MaxQueuePollingInterval;

    /// <summary>The orchestration's grace past a deadline (<c>Handoff:Orchestration:Grace</c>); null leaves it to the host's default.</summary>
    public TimeSpan? Grace { get; init; } = HandoffServices.DefaultGrace;

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

    /// <summary>The grace the host runs with: the profile's, or the product's default.</summary>
    public TimeSpan EffectiveGrace => Grace ?? HandoffServices.DefaultGrace;

    /// <summary>The polling the host runs with: the profile's, or the product's default for the clock (<see cref="DurableSettings.From"/>).</summary>
    public TimeSpan EffectivePolling => MaxQueuePollingInterval
        ?? (ClockStart is not null && ClockSpeed > 1 ? DurableSettings.DemoPollingInterval : new DurableSettings().MaxQueuePollingInterval);

    public static HostProfile Production { get; } = new();

    /// <summary>
    /// The README's demo: only a development clock (a start instant and <paramref name="speed"/>); the polling interval and the grace
    /// are left to the host's defaults for a fast clock.
    /// </summary>
    public static HostProfile Demo(DateTimeOffset start, double speed = 3600) =>
        Production with { ClockStart = start, ClockSpeed = speed, MaxQueuePollingInterval = null, Grace = null };
}
