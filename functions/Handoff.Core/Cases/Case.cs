using Handoff.Core.People;

namespace Handoff.Core.Cases;

/// <summary>
/// One person's file (一人一档): from the 强制隔离戒毒 decision (when the case began with it, <see cref="Commitment"/>) or from the
/// centre's release notice, to the agreement. The state that folding the case's history produces
/// (<see cref="Workflow.CaseWorkflow.Evolve"/>). Immutable; every change is an event.
/// </summary>
public sealed record Case
{
    public required string CaseId { get; init; }
    public required CaseState State { get; init; }
    public required PersonRecord Person { get; init; }
    /// <summary>The centre responsible for the person now: the one the person is to be delivered to, the one holding them, and after a
    /// transfer the receiving one once it has received them (until then the sending one). Null for a file opened by a 社区戒毒 order,
    /// which no centre has held.</summary>
    public required string? CentreId { get; init; }

    /// <summary>The community office responsible now: named by the centre's release notice (戒毒条例 34) or the 社区戒毒 order
    /// (戒毒条例 13); after a change of place, the new office once it acknowledged the file (戒毒条例 22). Null until named.</summary>
    public required string? OfficeId { get; init; }

    /// <summary>The police station that collects the person; null until the release notice names it (戒毒条例 34).</summary>
    public required string? PoliceStationId { get; init; }
    public required string DecisionAuthorityId { get; init; }

    /// <summary>The planned release date; postponements move it.</summary>
    public required DateOnly ReleaseDate { get; init; }

    /// <summary>The release date first registered: a postponement may move it by at most one year (禁毒法 47③).</summary>
    public required DateOnly OriginalReleaseDate { get; init; }

    public required ReleaseType ReleaseType { get; init; }

    /// <summary>Years of community rehabilitation ordered, 0–3 (禁毒法 48, 戒毒条例 37). 0: the handoff ends at the gate.</summary>
    public required int RehabilitationYears { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public DateTimeOffset? ReleasedAt { get; init; }
    public CollectedBy? CollectedBy { get; init; }
    public DateTimeOffset? ReportedAt { get; init; }
    public DateTimeOffset? AgreementSignedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public DateTimeOffset? FoundAt { get; init; }

    /// <summary>The decision, the centres and the term, for a case that began with the decision; null for one registered at the release.</summary>
    public Commitment? Commitment { get; init; }

    /// <summary>The 社区戒毒 or 社区康复 period: from the order (社区戒毒) or the report after the release (社区康复) to its end.</summary>
    public Community? Community { get; init; }

    /// <summary>Community periods ended by a new 强制隔离戒毒 decision on the file, oldest first: the chain started again, and a later period
    /// is a new one (禁毒法 38).</summary>
    public IReadOnlyList<Community> EndedCommunities { get; init; } = [];

    public IReadOnlyList<Deadline> Deadlines { get; init; } = [];
    public IReadOnlyList<Escalation> Escalations { get; init; } = [];

    /// <summary>How many events the case has had; the next event's sequence number is this plus one.</summary>
    public int EventCount { get; init; }

    /// <summary>
    /// Cancelled, completed without rehabilitation, or the community period ended (and its 解除 notice recorded: 戒毒条例 23, 40), with
    /// no escalation still open. A signed agreement no longer closes the file: the community period runs on from it.
    /// </summary>
    public bool IsClosed =>
        (State is CaseState.Cancelled or CaseState.Completed
            || (State == CaseState.Ended && DeadlineFor(DeadlineStep.EndNotice) is not { Status: DeadlineStatus.Open })
            // Signed before the community period was kept (a file stored by an earlier version): it has no period to run.
            || (State == CaseState.AgreementSigned && Community is null))
        && Escalations.All(e => e.Status == EscalationStatus.Resolved);

    public Deadline? DeadlineFor(DeadlineStep step) => Deadlines.FirstOrDefault(d => d.Step == step);

    /// <summary>Every organisation with a part in the file: the centres it passed through, the office, police station and deciding organ.</summary>
    public IEnumerable<string> Parties =>
        new[] { CentreId, OfficeId, PoliceStationId, DecisionAuthorityId }
            .Concat(Commitment?.Centres ?? [])
            .Concat(Commitment?.Transfer is { } t ? [t.ToCentreId] : [])
            .Concat(Community?.Offices ?? [])
            .Concat(EndedCommunities.SelectMany(k => k.Offices))
            .Concat(Community?.Move is { } m ? [m.FromOfficeId, m.ToOfficeId, m.ToPoliceStationId] : [])
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
}
