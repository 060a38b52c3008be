using Handoff.Core.Time;

namespace Handoff.Workflow;

/// <summary>
/// The case orchestration's input. Everything the orchestrator may not read for itself (configuration, the clock mapping) is here,
/// fixed when the instance starts and carried through <c>ContinueAsNew</c>, so replay is deterministic.
/// </summary>
/// <param name="SchemaVersion">The orchestration's shape version (<see cref="CaseOrchestration.SchemaVersion"/>): a later build that
/// changes the shape must still complete instances started with an older one.</param>
/// <param name="Clock">The task hub's workflow clock.</param>
/// <param name="Grace">Real time a deadline's timer waits past the deadline before the tick is applied, so that a step the API received
/// before the deadline but that reaches the orchestration after it is applied first and counts as on time.</param>
/// <param name="Registration">The first step (generation 0 of schemas 1 and 2 only; from schema 3 a registration is the first row of the
/// case's inbox).</param>
/// <param name="Progress">Where the case stood when this generation started (after <c>ContinueAsNew</c>, or a restore by the reconciler).</param>
/// <param name="Generation">How many times the instance continued as new (or was restored).</param>
/// <param name="RecentSteps">The command ids of the steps the previous generation applied last, so that their repeats are dropped.</param>
/// <param name="Retry">How the activity is retried and a blocked case waits (schema 3; null: the defaults).</param>
/// <param name="Restored">Started by the reconciler in place of an instance that ended while the case was open: its first activity
/// re-publishes every step decided and not marked published (the instance it replaces may have died mid-step).</param>
public sealed record CaseOrchestrationInput(
    int SchemaVersion,
    string CaseId,
    WorkflowClock Clock,
    TimeSpan Grace,
    CaseStep? Registration,
    CaseProgress? Progress,
    int Generation = 0,
    IReadOnlyList<string>? RecentSteps = null,
    ApplyRetry? Retry = null,
    bool Restored = false);
