using Handoff.Core.Time;

namespace Handoff.Workflow;

/// <summary>
/// The task hub's workflow clock as a <see cref="TimeProvider"/> (what the API stamps on a command as the instant it was received),
/// with the grace that new orchestrations carry. Built once at start-up from the anchor stored for the task hub
/// (<see cref="WorkflowClockStore"/>); real time underneath, so it never runs backwards across restarts.
/// </summary>
public sealed class WorkflowTime(WorkflowClock clock, TimeSpan grace, TimeProvider? real = null) : TimeProvider
{
    private readonly TimeProvider _real = real ?? System;

    public WorkflowClock Clock => clock;

    /// <summary>Real time a deadline's timer waits past the deadline (see <see cref="CaseOrchestrationInput.Grace"/>).</summary>
    public TimeSpan Grace => grace;

    /// <summary>Real time underneath (for things that age in real time: leases, retries, the reconciler's interval).</summary>
    public TimeProvider Real => _real;

    public override DateTimeOffset GetUtcNow() => clock.ToWorkflow(_real.GetUtcNow());

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
