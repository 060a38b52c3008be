namespace Handoff.Workflow;

/// <summary>What the reconciler did since start, for <c>/healthz</c> and the logs.</summary>
public sealed class ReconcilerHealth
{
    private long _restored;
    private long _nudged;
    private long _abandoned;
    private long _stalled;

    public long Restored => Interlocked.Read(ref _restored);

    public long Nudged => Interlocked.Read(ref _nudged);

    /// <summary>Running orchestrations terminated (to be restarted) because they left their inbox untaken past the stall limit.</summary>
    public long Stalled => Interlocked.Read(ref _stalled);

    /// <summary>Cases past <see cref="ReconcilerOptions.MaxRestores"/>: an operator must look at each.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    public DateTimeOffset? LastSweepAt { get; private set; }

    public DateTimeOffset? LastFullPassAt { get; private set; }

    public string? LastError { get; private set; }

    internal void CountRestored() => Interlocked.Increment(ref _restored);

    internal void CountNudged() => Interlocked.Increment(ref _nudged);

    internal void CountStalled() => Interlocked.Increment(ref _stalled);

    internal void CountAbandoned() => Interlocked.Increment(ref _abandoned);

    /// <param name="fullPass">A full pass completed (one that threw does not count: the next sweep is full again).</param>
    internal void Swept(DateTimeOffset at, bool fullPass, string? error)
    {
        LastSweepAt = at;
        LastFullPassAt = fullPass ? at : LastFullPassAt;
        LastError = error;
    }
}
