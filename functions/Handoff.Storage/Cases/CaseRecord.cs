using Azure;
using Handoff.Core.Cases;

namespace Handoff.Storage.Cases;

/// <summary>The case row as stored: the state the case's orchestration last applied, and its bookkeeping.</summary>
/// <param name="Version">Incremented by every step that appends events.</param>
/// <param name="LastAppliedAt">The workflow instant of the last applied step: a step received earlier is applied at this instant, so
/// the history never runs backwards.</param>
/// <param name="Restores">How many times the reconciler restarted this case's orchestration from this row.</param>
public sealed record CaseRecord(Case State, int Version, DateTimeOffset LastAppliedAt, int Restores, ETag ETag)
{
    /// <summary>The instant a step received at <paramref name="receivedAt"/> is decided at: then, but never before the last applied step.</summary>
    public DateTimeOffset LegalTime(DateTimeOffset receivedAt) => receivedAt > LastAppliedAt ? receivedAt : LastAppliedAt;
}
