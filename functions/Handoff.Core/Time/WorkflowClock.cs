namespace Handoff.Core.Time;

/// <summary>
/// The mapping between real time (the engine's: durable timers fire in real UTC) and workflow time (the instants the law is
/// counted in). In production it is the identity. A development clock starts at <see cref="WorkflowAnchor"/> when real time was
/// <see cref="RealAnchor"/> and runs <see cref="Speed"/> times faster. It is fixed once per task hub and travels in every case's
/// orchestration input, so restarts and other instances share one workflow time that never runs backwards, and running cases
/// cannot disagree with new ones. Pure: it reads no clock.
/// </summary>
/// <param name="Speed">Workflow seconds per real second: 1 in production, e.g. 3600 (an hour a second) for a demo.</param>
public sealed record WorkflowClock(DateTimeOffset RealAnchor, DateTimeOffset WorkflowAnchor, double Speed)
{
    /// <summary>Real time: workflow time is real time.</summary>
    public static readonly WorkflowClock Real = new(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1);

    public bool IsReal => Speed == 1 && RealAnchor == WorkflowAnchor;

    /// <summary>The workflow instant at real instant <paramref name="real"/>.</summary>
    public DateTimeOffset ToWorkflow(DateTimeOffset real) =>
        IsReal ? real : WorkflowAnchor + TimeSpan.FromTicks(checked((long)((real - RealAnchor).Ticks * Speed)));

    /// <summary>The real instant at which workflow time reaches <paramref name="workflow"/> (rounded up to the next tick, so never early).</summary>
    public DateTimeOffset ToReal(DateTimeOffset workflow) =>
        IsReal ? workflow : RealAnchor + TimeSpan.FromTicks((long)Math.Ceiling((workflow - WorkflowAnchor).Ticks / Speed));

    /// <summary>A workflow duration in real time.</summary>
    public TimeSpan ToRealDuration(TimeSpan workflow) => IsReal ? workflow : TimeSpan.FromTicks((long)Math.Ceiling(workflow.Ticks / Speed));
}
