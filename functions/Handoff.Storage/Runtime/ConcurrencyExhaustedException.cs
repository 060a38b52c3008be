namespace Handoff.Storage.Runtime;

/// <summary>A command lost the optimistic-concurrency race every time it tried: the case is too hot. Nothing was written.</summary>
public sealed class ConcurrencyExhaustedException(string caseId, int attempts)
    : Exception($"Case {caseId} changed under the command on each of {attempts} attempts.")
{
    public string CaseId { get; } = caseId;
}
