using System.Collections.Concurrent;
using Handoff.Storage.Cases;

namespace Handoff.Workflow;

/// <summary>
/// How the API learns, without reading storage, that a command it raised was applied and published — when the case's activity ran in
/// the same process (always self-hosted; in Azure, when the activity landed on the instance that took the request). A listener that
/// hears nothing falls back to reading the command row.
/// </summary>
public sealed class CommandSignals
{
    private readonly ConcurrentDictionary<(string CaseId, string CommandId), TaskCompletionSource<CommandSignal>> _listeners = new();

    /// <summary>Listens for the command's publication (before it is raised, so nothing is missed). Dispose to stop.</summary>
    public Listener Listen(string caseId, string commandId)
    {
        var source = new TaskCompletionSource<CommandSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
        _listeners[(caseId, commandId)] = source;
        return new Listener(this, (caseId, commandId), source);
    }

    /// <summary>Whether a caller in this process waits for a command of <paramref name="caseId"/> (the activity then reads the case's
    /// history with its inbox, in the same request, so that the answer needs no read of its own).</summary>
    public bool IsListening(string caseId) => _listeners.Keys.Any(k => k.CaseId == caseId);

    /// <summary>The command's row is published (its case as it stands after the run that applied it, and its history if it was read).</summary>
    public void Published(string caseId, CommandRecord row, CaseRecord? record, IReadOnlyList<HistoryEntry>? history = null)
    {
        if (_listeners.TryRemove((caseId, row.CommandId), out var source))
        {
            source.TrySetResult(new CommandSignal(row, record, history));
        }
    }

    /// <summary>A listener for one command: <see cref="Heard"/> completes when it is published in this process.</summary>
    public sealed class Listener(CommandSignals signals, (string, string) key, TaskCompletionSource<CommandSignal> source) : IDisposable
    {
        public Task<CommandSignal> Heard => source.Task;

        public void Dispose() => ((ICollection<KeyValuePair<(string, string), TaskCompletionSource<CommandSignal>>>)signals._listeners).Remove(new(key, source));
    }
}

/// <summary>A published command row, the case as the run that published it left it, and its history when the run read it.</summary>
public sealed record CommandSignal(CommandRecord Row, CaseRecord? Record, IReadOnlyList<HistoryEntry>? History);
