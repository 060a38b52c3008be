using Handoff.Core.Cases;

namespace Handoff.Core.Notices;

/// <summary>
/// A message to one organisation. Its <see cref="Id"/> is derived from what it is about, so the same notice decided twice has the
/// same id: <c>{escalationId}-L{level}-{recipient}</c> for an escalation level, <c>{escalationId}-R-{recipient}</c> for its
/// resolution, <c>{caseId}-{eventNumber}-{recipient}</c> otherwise. Delivery de-duplicates on it.
/// </summary>
/// <param name="Title">One line, Chinese.</param>
/// <param name="Body">The text a duty officer reads, Chinese; the identity number only masked.</param>
public sealed record Notice(
    string Id,
    string CaseId,
    string RecipientId,
    NoticeKind Kind,
    string? EscalationId,
    EscalationKind? EscalationKind,
    int? Level,
    string Title,
    string Body,
    DateTimeOffset CreatedAt);
