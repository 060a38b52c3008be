namespace Handoff.Functions.Hosting;

/// <summary>
/// A workflow clock for demonstrations: starts at <c>Handoff:Clock:Start</c> and runs <c>Handoff:Clock:Speed</c> times faster than
/// real time (43200 = half a day per second). Refused in Production. Timers created from it still run on real time; the queues
/// convert workflow waits with <see cref="Handoff.Storage.Queues.QueueClock"/>.
/// </summary>
public sealed class DevelopmentClock(TimeProvider real, DateTimeOffset start, double speed) : TimeProvider
{
    private readonly DateTimeOffset _realStart = real.GetUtcNow();

    public double Speed => speed;

    public override DateTimeOffset GetUtcNow() => start + (real.GetUtcNow() - _realStart) * speed;
}
