using Azure;

namespace Handoff.Storage.Cases;

/// <summary>Outcome of a conditional commit: done (with the case row's new ETag), or lost to a concurrent writer.</summary>
public readonly record struct CommitResult(bool Committed, ETag ETag)
{
    public static CommitResult Conflict => new(false, default);
}
