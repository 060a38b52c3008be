using Microsoft.DurableTask;

namespace Handoff.Workflow;

/// <summary>
/// How the case's orchestration retries its activity, carried in its input (fixed when the instance starts, so replay is deterministic;
/// the hosts set it from <c>Handoff:Orchestration:Retry</c>; running instances keep what they started with). The activity is retried <see cref="Attempts"/> times with exponential back-off
/// from <see cref="Interval"/> up to <see cref="MaxInterval"/>; after that the case is blocked and tries a new round after
/// <see cref="BlockedWait"/>, doubling each time up to <see cref="BlockedWaitMax"/> — for ever: a transient fault never ends a case.
/// </summary>
public sealed record ApplyRetry
{
    /// <summary>Attempts per round. Default 8 (about two minutes with the default intervals); 1–20.</summary>
    public int Attempts { get; init; } = 8;

    /// <summary>The first retry's delay. Default 1 second.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between attempts of one round. Default 1 minute.</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a blocked case waits before its next round. Default 1 minute; doubles each round.</summary>
    public TimeSpan BlockedWait { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a blocked case waits between rounds. Default 1 hour.</summary>
    public TimeSpan BlockedWaitMax { get; init; } = TimeSpan.FromHours(1);

    internal TaskOptions Options => TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: Attempts, firstRetryInterval: Interval, backoffCoefficient: 2, maxRetryInterval: MaxInterval));

    /// <summary>The rules these settings break, as (setting, rule) pairs; empty when valid.</summary>
    public IReadOnlyList<(string Setting, string Rule)> Validate()
    {
        var errors = new List<(string, string)>();
        if (Attempts is < 1 or > 20)
        {
            errors.Add((nameof(Attempts), "must be 1–20"));
        }

        foreach (var (name, value) in new[] { (nameof(Interval), Interval), (nameof(MaxInterval), MaxInterval), (nameof(BlockedWait), BlockedWait), (nameof(BlockedWaitMax), BlockedWaitMax) })
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

    /// <summary>The wait after the <paramref name="failures"/>th failed round: <see cref="BlockedWait"/> doubled per round, at most <see cref="BlockedWaitMax"/>.</summary>
    public TimeSpan BlockedWaitAfter(int failures)
    {
        var wait = BlockedWait;
        for (var i = 1; i < failures && wait < BlockedWaitMax; i++)
        {
            wait += wait;
        }

        return wait < BlockedWaitMax ? wait : BlockedWaitMax;
    }
}
