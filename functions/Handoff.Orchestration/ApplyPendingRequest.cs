using Handoff.Core.Cases;

namespace Handoff.Workflow;

/// <summary>
/// The input of the activity that applies what waits in a case's inbox (its implementation is <c>ApplyPendingActivity</c> in
/// Handoff.Workflow): every accepted command in the order received, with <paramref name="Tick"/> in its place among them.
/// </summary>
/// <param name="Tick">A deadline's tick (or a reconciler's nudge) to apply at its instant; null when a command woke the orchestration.</param>
/// <param name="Signalled">Steps whose signals carried them: written to the inbox first if no row of theirs is there (steps an earlier build
/// raised without writing one).</param>
public sealed record ApplyPendingRequest(string CaseId, CaseStep? Tick, IReadOnlyList<CaseStep>? Signalled = null)
{
    /// <summary>The activity's name, in both hosts.</summary>
    public const string ActivityName = "ApplyPending";
}
