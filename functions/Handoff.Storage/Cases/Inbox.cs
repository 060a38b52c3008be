namespace Handoff.Storage.Cases;

/// <summary>What the case's activity reads in one request: the case row, its open command rows, one more row if asked, and the history if asked.</summary>
/// <param name="Also">The row of the command asked for by id, whatever its state (null if it has none).</param>
/// <param name="History">The case's history, oldest first (null unless asked for).</param>
public sealed record Inbox(CaseRecord? Record, IReadOnlyList<CommandRecord> Open, CommandRecord? Also, IReadOnlyList<HistoryEntry>? History)
{
    public void Deconstruct(out CaseRecord? record, out IReadOnlyList<CommandRecord> open, out CommandRecord? also)
    {
        record = Record;
        open = Open;
        also = Also;
    }
}
