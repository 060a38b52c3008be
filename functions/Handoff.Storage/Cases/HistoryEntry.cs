using Handoff.Core.Cases;

namespace Handoff.Storage.Cases;

/// <summary>One event of a case's history with its sequence number.</summary>
public sealed record HistoryEntry(int Sequence, CaseEvent Event);
