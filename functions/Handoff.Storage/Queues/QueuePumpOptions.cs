namespace Handoff.Storage.Queues;

/// <summary>How a pump polls and retries.</summary>
public sealed record QueuePumpOptions
{
    /// <summary>Messages received per poll, 1–32. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>How long a received message stays hidden while it is handled; a crash makes it visible again after this. Default 60 s.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The first retry delay after a failure; it doubles with each further failure. Default 2 s.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest retry delay. Default 5 minutes.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest pause between polls of an empty queue; bounds wake-up lateness. Default 500 ms.</summary>
    public TimeSpan MaxIdleDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
