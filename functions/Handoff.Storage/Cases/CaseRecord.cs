using Azure;
using Handoff.Core.Cases;
using Handoff.Core.Notices;

namespace Handoff.Storage.Cases;

/// <summary>
/// The case row as stored: the state, plus what the durable runtime needs to finish a commit's work.
/// </summary>
/// <param name="Version">Incremented by every commit that appends events.</param>
/// <param name="Outbox">Notices committed with the state and not yet delivered (the transactional outbox).</param>
/// <param name="TimerToken">Names the one live wake-up message; any other message for this case is stale.</param>
/// <param name="IndexedVersion">The version the region index reflects; below <see cref="Version"/> means the index is due an update.</param>
public sealed record CaseRecord(
    Case State,
    int Version,
    IReadOnlyList<Notice> Outbox,
    string TimerToken,
    int IndexedVersion,
    ETag ETag)
{
    /// <summary>Whether post-commit work (notices, index) is still owed.</summary>
    public bool HasPendingWork => Outbox.Count > 0 || IndexedVersion < Version;
}
