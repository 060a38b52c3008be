using Handoff.Core.Workflow;
using Handoff.Storage.Cases;

namespace Handoff.Workflow;

/// <summary>What became of a command: applied (with the case), refused (with the rule), still pending (with its URL), or no such case.</summary>
public abstract record CommandOutcome
{
    private CommandOutcome()
    {
    }

    /// <summary>Applied and published (or already in effect): the case as it now stands.</summary>
    /// <param name="Created">A registration that created the case.</param>
    /// <param name="History">The case's history when it came with the answer (the case's activity ran in this process); null: read it.</param>
    public sealed record Applied(CaseRecord Record, bool Created, IReadOnlyList<HistoryEntry>? History = null) : CommandOutcome;

    /// <summary>Refused: at receipt by the core, or by the case's orchestration when it was applied (a race lost, an invariant broken).</summary>
    public sealed record Refused(Rejection Rejection, string? CommandId = null) : CommandOutcome;

    /// <summary>In the case's inbox, not yet applied: its outcome is at <see cref="Location"/>.</summary>
    public sealed record Pending(string CaseId, string CommandId) : CommandOutcome
    {
        public string Location => $"/api/cases/{CaseId}/commands/{CommandId}";
    }

    /// <summary>No such case or command, or the caller may not know it exists (its existence is confidential: 戒毒条例 7).</summary>
    public sealed record NotFound(string What) : CommandOutcome;
}
