namespace Handoff.Storage.Queues;

/// <summary>What a queue handler wants done with the message it was given.</summary>
public abstract record Disposition
{
    /// <summary>Done: delete the message.</summary>
    public sealed record Complete : Disposition;

    /// <summary>Keep the message and show it again after <paramref name="Delay"/> (real time).</summary>
    public sealed record WakeAfter(TimeSpan Delay) : Disposition;

    /// <summary>Not ready yet (e.g. its commit is still in flight): show it again after <paramref name="Delay"/> real time.</summary>
    public sealed record Retry(TimeSpan Delay) : Disposition;

    public static readonly Disposition Done = new Complete();
}
