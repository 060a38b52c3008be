namespace Handoff.Workflow;

/// <summary>The reconciler's settings (<c>Handoff:Sweep</c>). All durations are real time.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>How often a sweep runs. Default 1 minute (the Function App's timer trigger runs every minute too).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long past its due instant (plus the orchestration's own grace) a case may stay unacted on before the sweep looks at it:
    /// well past the engine's worst timer lateness (its polling interval), so healthy cases are never touched. Default 5 minutes.
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a running orchestration may leave its inbox untaken — a command waiting past <see cref="Grace"/>, or a due instant
    /// passed, through the reconciler's nudges — before the reconciler terminates it so that its next sweep restarts it from our own
    /// record. That is an orchestration waiting on work the engine lost (an activity whose message went with the storage it was written
    /// to), or one left Pending because the engine dropped its start as a duplicate: it counts as live, so it is never restored, and
    /// every signal buffers behind it. A blocked case (its activity failing, retried) and a suspended one are left alone. Default 10 minutes.
    /// </summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the sweep also checks every open case, due or not. Default 1 day.</summary>
    public TimeSpan FullPassInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How many times in a row a case's orchestration is restored after failing again at the same case version before it is left to an
    /// operator (a failure a restore cannot cure). Lost, terminated or completed orchestrations, and failures after the case moved on,
    /// never count. Default 3.
    /// </summary>
    public int MaxRestores { get; init; } = 3;

    /// <summary>
    /// How long a registration may stay pending (noted, not yet decided) before the reconciler finishes it: one written to its case's
    /// inbox gets its person reserved and its orchestration started; one that never reached the inbox is dropped. Default 10 minutes.
    /// </summary>
    public TimeSpan ReservationTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the engine keeps a finished orchestration's history (instances created longer ago than this that completed or were
    /// terminated are purged on the daily full pass). Our own tables keep the person's file, so this is only the operators' window
    /// for looking at the engine's copy. Default 30 days.
    /// </summary>
    public TimeSpan PurgeAfter { get; init; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a closed case keeps its command rows (what answers its command URLs and recognises a retried
    /// <c>Idempotency-Key</c>); the full pass clears them after this. The case row and its history, the person's file, stay. Default 30 days.
    /// </summary>
    public TimeSpan CommandRetention { get; init; } = TimeSpan.FromDays(30);
}
