namespace Handoff.Storage.Queues;

/// <summary>
/// Queues run on real time; the workflow may run on a faster development clock (<c>Handoff:Clock:Speed</c>), so that a 15-day
/// deadline arrives in seconds. This converts a wait in workflow time to a wait in real time, and is the real clock for
/// leases, back-off and message ages.
/// </summary>
public sealed class QueueClock(TimeProvider real, double speed = 1)
{
    public static readonly QueueClock System = new(TimeProvider.System);

    public TimeProvider Real { get; } = real;

    public double Speed { get; } = speed > 0 ? speed : throw new ArgumentOutOfRangeException(nameof(speed), "must be positive");

    public TimeSpan ToReal(TimeSpan workflowDelay) => workflowDelay <= TimeSpan.Zero ? TimeSpan.Zero : workflowDelay / Speed;
}
