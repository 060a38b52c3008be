namespace Handoff.Workflow;

/// <summary>
/// How the case's orchestration retries its activity (<c>Handoff:Orchestration</c>; the grace is <see cref="WorkflowTime.Grace"/>).
/// New orchestrations carry these in their input (<see cref="ApplyRetry"/>); running ones keep what they started with.
/// </summary>
public sealed record OrchestrationOptions
{
    /// <summary>Attempts per round of retries. Default 8; 1–20.</summary>
    public int RetryAttempts { get; init; } = 8;

    /// <summary>The first retry's delay. Default 1 second.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts of a round. Default 1 minute.</summary>
    public TimeSpan RetryMaxInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a blocked case waits before its next round; doubles each round. Default 1 minute.</summary>
    public TimeSpan BlockedWait { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a blocked case waits between rounds. Default 1 hour.</summary>
    public TimeSpan BlockedWaitMax { get; init; } = TimeSpan.FromHours(1);

    public ApplyRetry Retry => new()
    {
        Attempts = RetryAttempts, Interval = RetryInterval, MaxInterval = RetryMaxInterval, BlockedWait = BlockedWait, BlockedWaitMax = BlockedWaitMax,
    };

    /// <summary>The rules these settings break, as (setting, rule) pairs; empty when valid.</summary>
    public IReadOnlyList<(string Setting, string Rule)> Validate()
    {
        var errors = new List<(string, string)>();
        if (RetryAttempts is < 1 or > 20)
        {
            errors.Add((nameof(RetryAttempts), "must be 1–20"));
        }

        foreach (var (name, value) in new[] { (nameof(RetryInterval), RetryInterval), (nameof(RetryMaxInterval), RetryMaxInterval), (nameof(BlockedWait), BlockedWait), (nameof(BlockedWaitMax), BlockedWaitMax) })
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
            {
                errors.Add((name, "must be more than 0 and at most 1 day"));
            }
        }

        if (BlockedWaitMax < BlockedWait)
        {
            errors.Add((nameof(BlockedWaitMax), "must be at least BlockedWait"));
        }

        return errors;
    }
}
