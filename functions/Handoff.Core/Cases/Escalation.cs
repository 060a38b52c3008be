namespace Handoff.Core.Cases;

/// <summary>A missed step and who has been told. It climbs one supervisor level every escalation interval until the step is done.</summary>
/// <param name="Id">Unique: <c>{caseId}-E{n}</c>.</param>
/// <param name="Kind">What was missed.</param>
/// <param name="Level">1 is the responsible organisation; 2, 3, 4 the county, city and province supervisors that exist.</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="NextClimbAt">When it climbs next; null at the top of the ladder or once resolved.</param>
/// <param name="Recipients">Everyone told, with the level at which they were told.</param>
/// <param name="ReadBy">Recipients who marked the notice read.</param>
public sealed record Escalation(
    string Id,
    EscalationKind Kind,
    int Level,
    EscalationStatus Status,
    DateTimeOffset OpenedAt,
    DateTimeOffset? NextClimbAt,
    IReadOnlyList<EscalationRecipient> Recipients,
    DateTimeOffset? ResolvedAt,
    string? Resolution,
    IReadOnlyList<EscalationReceipt> ReadBy);

/// <summary>An organisation told of an escalation, and at which level.</summary>
public sealed record EscalationRecipient(string OrganisationId, int Level, DateTimeOffset NotifiedAt);

/// <summary>A recipient's mark that it read the notice.</summary>
public sealed record EscalationReceipt(string OrganisationId, DateTimeOffset At);
