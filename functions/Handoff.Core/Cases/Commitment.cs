namespace Handoff.Core.Cases;

/// <summary>
/// The 强制隔离戒毒 part of a person's file, for a case that began with the deciding 公安机关's decision (禁毒法 38–41, 戒毒条例 25–27):
/// the decision, where the person was delivered, the centres that held them, and the term that sets the release date.
/// </summary>
/// <param name="DecisionNumber">The 强制隔离戒毒决定书's number, as the deciding organ wrote it.</param>
/// <param name="DecidedOn">The day of the decision: the term counts from it (戒毒条例 27①).</param>
/// <param name="ServedAt">When the decision was served on the person; the 24-hour notices count from it (禁毒法 40).</param>
/// <param name="TermEnds">The term's last day, after escapes (戒毒条例 32) and decided changes (禁毒法 47): the release date.</param>
/// <param name="OriginalTermEnds">Two years from the decision: an extension may add at most one year to it (禁毒法 47③).</param>
/// <param name="IntakeAt">When the first centre took the person in (入所); null while being delivered.</param>
/// <param name="Centres">Every centre that has held the person, in order.</param>
/// <param name="Transfer">A transfer sent and not yet received or refused (戒毒条例 27②).</param>
/// <param name="EscapedAt">When the person escaped, while they are away; the term's clock stops (戒毒条例 32).</param>
/// <param name="DaysAway">Days away after escapes, added to the term.</param>
/// <param name="EverEscaped">An escape bars an early release (戒毒条例 32).</param>
/// <param name="Proposal">A proposal to extend or shorten the term awaiting the deciding organ's decision (戒毒条例 33).</param>
/// <param name="Refusals">Every refusal by a centre, at intake or at reception, with its reason.</param>
/// <param name="LastDecision">The last decision on a term proposal.</param>
/// <param name="OutForTreatmentSince">When the person left for treatment outside the centre (所外就医), while out: the term runs on
/// (戒毒条例 31②).</param>
public sealed record Commitment(
    string DecisionNumber,
    DateOnly DecidedOn,
    DateTimeOffset ServedAt,
    DateOnly TermEnds,
    DateOnly OriginalTermEnds,
    DateTimeOffset? IntakeAt,
    IReadOnlyList<string> Centres,
    PendingTransfer? Transfer,
    DateTimeOffset? EscapedAt,
    int DaysAway,
    bool EverEscaped,
    TermProposal? Proposal,
    IReadOnlyList<Refusal> Refusals,
    TermDecision? LastDecision = null,
    DateTimeOffset? OutForTreatmentSince = null);

/// <summary>The deciding organ's last decision on a term proposal (戒毒条例 33).</summary>
public sealed record TermDecision(TermChangeKind Kind, bool Approved, DateTimeOffset ServedAt);

/// <summary>A centre refused the person, and why.</summary>
public sealed record Refusal(string CentreId, DateTimeOffset At, string Reason);

/// <summary>A transfer from a public-security centre to a justice one, sent and not yet received (戒毒条例 27②).</summary>
public sealed record PendingTransfer(string FromCentreId, string ToCentreId, DateTimeOffset SentAt);

/// <summary>A centre's proposal to change the term (禁毒法 47; 戒毒条例 33): decided by the deciding organ within 7 days.</summary>
/// <param name="NewTermEnds">The release date the proposal would set.</param>
public sealed record TermProposal(TermChangeKind Kind, DateOnly NewTermEnds, DateTimeOffset ProposedAt, string? Reason);
