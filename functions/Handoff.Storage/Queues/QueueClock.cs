namespace Handoff.Storage.Queues;

/// <summary>
/// Queues run on real time; the workflow may run on a faster development clock (<c>Handoff:Clock:Speed</c>), so that a 15-day
/// deadline arrives in seconds. This converts a wait in workflow time to a wait in real time, and is the real clock for
/// leases, back-off and message ages.
/// </summary>
public sealed class QueueClock(TimeProvider real, double speed = 1, TimeSpan? maxHop = null)
{
    public static readonly QueueClock System = new(TimeProvider.System);

    /// <summary>
    /// The longest a message may stay hidden in one hop: the 7-day visibility limit of Azure Storage queues, less a minute.
    /// A longer wait hops: the message wakes, finds nothing due, and hides again.
    /// </summary>
    public TimeSpan MaxHop { get; } = maxHop ?? TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public TimeProvider Real { get; } = real;

    public double Speed { get; } = speed > 0 ? speed : throw new ArgumentOutOfRangeException(nameof(speed), "must be positive");

    /// <summary>The real visibility delay for a workflow wait: scaled by <see cref="Speed"/>, clamped to 0 – <see cref="MaxHop"/>.</summary>
    public TimeSpan ToReal(TimeSpan workflowDelay)
    {
        var real = workflowDelay <= TimeSpan.Zero ? TimeSpan.Zero : workflowDelay / Speed;
        return real > MaxHop ? MaxHop : real;
    }
}
