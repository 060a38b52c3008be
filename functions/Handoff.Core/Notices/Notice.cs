using System.Text.Json.Serialization;
using Handoff.Core.Cases;

namespace Handoff.Core.Notices;

/// <summary>
/// A message to one organisation. Its <see cref="Id"/> is derived from what it is about, so the same notice decided twice has the
/// same id: <c>{escalationId}-L{level}-{recipient}</c> for an escalation level, <c>{escalationId}-R-{recipient}</c> for its
/// resolution, <c>{caseId}-{eventNumber}-{recipient}</c> otherwise. Delivery de-duplicates on it.
/// </summary>
/// <param name="Title">One line, Chinese.</param>
/// <param name="Body">The text a duty officer reads, Chinese; the identity number only masked.</param>
/// <param name="Duplicate">For a <see cref="NoticeKind.DuplicateRegistration"/>: the open case and the refused registration, so a page
/// sets them side by side. Left out of the JSON otherwise.</param>
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
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DuplicateRegistrationFacts? Duplicate = null);

/// <summary>The two registrations of one person a 重复登记提示 is about (identity number only masked).</summary>
public sealed record DuplicateRegistrationFacts(RegistrationFacts Existing, RegistrationFacts Attempt);

/// <summary>One registration as a supervisor compares it: who registered it and when, the person, the release and where to.</summary>
/// <param name="CaseId">The case; for a refused registration, the id it would have had (no case exists under it).</param>
public sealed record RegistrationFacts(
    string CaseId, string CentreId, DateTimeOffset RegisteredAt, string PersonName, string MaskedIdNumber, DateOnly ReleaseDate, string? OfficeId,
    int RehabilitationYears);
