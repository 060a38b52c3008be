using Handoff.Core.Cases;

namespace Handoff.Workflow;

/// <summary>
/// The input of the activity that applies what waits in a case's inbox (its implementation is <c>ApplyPendingActivity</c> in
/// Handoff.Workflow): every accepted command in the order received, with <paramref name="Tick"/> in its place among them.
/// </summary>
/// <param name="Tick">A deadline's tick (or a reconciler's nudge) to apply at its instant; null when a command woke the orchestration.</param>
/// <param name="Signalled">Steps whose signals carried them: written to the inbox first if no row of theirs is there (steps an earlier build
/// raised without writing one).</param>
/// <param name="Run">This call's id, the same for all its retries (fixed by the orchestration). Steps decided by another run of the
/// same orchestration were published by it — its call completed before this one was made — so they are only marked so, in this run's
/// first commit, instead of in a write of their own; steps decided by an earlier attempt of this very run are published again. Null
/// (schemas 1 and 2, and the first call after a restore): every decided step not marked published is published again, then marked.</param>
public sealed record ApplyPendingRequest(string CaseId, CaseStep? Tick, IReadOnlyList<CaseStep>? Signalled = null, string? Run = null)
{
    /// <summary>The activity's name, in both hosts.</summary>
    public const string ActivityName = "ApplyPending";
}
