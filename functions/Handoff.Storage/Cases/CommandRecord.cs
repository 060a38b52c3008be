using Handoff.Core.Notices;
using Handoff.Core.Workflow;

namespace Handoff.Storage.Cases;

/// <summary>
/// What became of one step (a command or a timer's tick), kept in the case's partition under <c>c{commandId}</c> and written in the
/// same transaction as the events it caused. A repeated step finds it and changes nothing; the API reads it to answer the caller;
/// an activity retried after a crash re-delivers <see cref="Notices"/> from it (delivery is keyed by notice id).
/// </summary>
/// <param name="RequestHash">What the request said, for an <c>Idempotency-Key</c>: the same key with another request is refused.</param>
/// <param name="Version">The case version after the step.</param>
/// <param name="Rejection">Why the core refused the step, if it did (e.g. two offices racing: the second is refused).</param>
/// <param name="Published">The step's effects outside the case's partition — notices, index, reservation — are written too, so a
/// caller told the step is done reads it in lists and inboxes as well.</param>
/// <param name="DueBefore">The case's next due instant before the step: the due-index row a retry that re-publishes the step after a
/// crash must remove (it no longer has the case as it was).</param>
public sealed record CommandRecord(
    string CommandId,
    string Command,
    string? RequestHash,
    int Version,
    Rejection? Rejection,
    IReadOnlyList<Notice> Notices,
    DateTimeOffset AppliedAt,
    bool Published = false,
    DateTimeOffset? DueBefore = null)
{
    public static string RowKeyFor(string commandId) => "c" + commandId;
}
