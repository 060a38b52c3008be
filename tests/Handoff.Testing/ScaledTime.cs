namespace Handoff.Testing;

/// <summary>A workflow clock that starts at an instant and runs <paramref name="speed"/> times faster than real time.</summary>
public sealed class ScaledTime(DateTimeOffset start, double speed) : TimeProvider
{
    private readonly long _started = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(_started) * speed;
}
