namespace Handoff.Storage.Index;

/// <summary>One page of a list, and the token for the next (null on the last page).</summary>
public sealed record CasePage(IReadOnlyList<CaseSummary> Cases, string? ContinuationToken);
