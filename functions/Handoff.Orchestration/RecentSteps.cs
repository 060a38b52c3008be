namespace Handoff.Workflow;

/// <summary>
/// The command ids of the steps a case's orchestration applied last, oldest first, at most <see cref="CaseOrchestration.RememberedSteps"/>:
/// enough to recognise the repeats of a step (they follow it closely), small enough to travel in the <c>ContinueAsNew</c> input.
/// Built only from the orchestration's own history, so replay rebuilds it exactly.
/// </summary>
internal sealed class RecentSteps(IReadOnlyList<string>? carried)
{
    private readonly List<string> _ids = [.. (carried ?? []).TakeLast(CaseOrchestration.RememberedSteps)];

    public IReadOnlyList<string> Ids => [.. _ids];

    public bool Contains(string commandId) => _ids.Contains(commandId, StringComparer.Ordinal);

    public void Add(string commandId)
    {
        _ids.Add(commandId);
        if (_ids.Count > CaseOrchestration.RememberedSteps)
        {
            _ids.RemoveAt(0);
        }
    }
}
