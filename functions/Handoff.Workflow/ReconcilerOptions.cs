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

    /// <summary>How often the sweep also checks every open case, due or not. Default 1 day.</summary>
    public TimeSpan FullPassInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How many times one case's orchestration is restored before it is left to an operator. Default 3.</summary>
    public int MaxRestores { get; init; } = 3;

    /// <summary>A reservation older than this whose case never started is released. Default 10 minutes.</summary>
    public TimeSpan ReservationTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the engine keeps a finished orchestration's history (instances created longer ago than this that completed or were
    /// terminated are purged on the daily full pass). Our own tables keep the person's file, so this is only the operators' window
    /// for looking at the engine's copy. Default 30 days.
    /// </summary>
    public TimeSpan PurgeAfter { get; init; } = TimeSpan.FromDays(30);
}
