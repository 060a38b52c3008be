using Handoff.Core.Cases;
using Handoff.Core.Workflow;

namespace Handoff.Storage.Index;

/// <summary>What a list of cases shows: enough to triage without opening each case. No identity number in clear.</summary>
/// <param name="ReleaseDate">The planned release date (the notice's).</param>
/// <param name="OfficeId">The receiving office; null until the release notice of a file that began with the decision names it.</param>
/// <param name="Commitment">The decision, centres, pending transfer and term of a file that began with the decision (null otherwise, and in
/// rows written before it was listed).</param>
/// <param name="CentreId">The centre; null for a file opened by a 社区戒毒 order.</param>
/// <param name="Community">The 社区戒毒 or 社区康复 period, once ordered or begun (null otherwise).</param>
/// <param name="ReleasedAt">When the person actually left the centre, once recorded (rows written before it was listed have none).</param>
public sealed record CaseSummary(
    string CaseId,
    string State,
    string PersonName,
    string MaskedIdNumber,
    string? CentreId,
    string? OfficeId,
    string? PoliceStationId,
    string DecisionAuthorityId,
    DateOnly ReleaseDate,
    DateTimeOffset? ReleasedAt,
    DateTimeOffset? NextDueAt,
    bool Overdue,
    IReadOnlyList<Deadline> Deadlines,
    IReadOnlyList<Escalation> Escalations,
    Commitment? Commitment = null,
    Community? Community = null)
{
    public static CaseSummary From(Case c) => new(
        c.CaseId,
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(c.State.ToString()),
        c.Person.Name,
        c.Person.MaskedIdNumber,
        c.CentreId,
        c.OfficeId,
        c.PoliceStationId,
        c.DecisionAuthorityId,
        c.ReleaseDate,
        c.ReleasedAt,
        CaseWorkflow.NextDueAt(c),
        IsOverdue(c),
        c.Deadlines,
        c.Escalations,
        c.Commitment,
        c.Community);

    /// <summary>Overdue: an escalation is open, or a deadline was missed and its step is still not done.</summary>
    public static bool IsOverdue(Case c) =>
        c.Escalations.Any(e => e.Status == EscalationStatus.Open)
        || c.Deadlines.Any(d => d.Status == DeadlineStatus.Missed && d.CompletedAt is null);

    public bool Concerns(string organisationId) =>
        CentreId == organisationId || OfficeId == organisationId || PoliceStationId == organisationId || DecisionAuthorityId == organisationId
        || Commitment?.Transfer?.ToCentreId == organisationId || Commitment?.Centres.Contains(organisationId) == true
        || Community?.Offices.Contains(organisationId) == true || Community?.Move?.ToOfficeId == organisationId
        || Escalations.Any(e => e.Recipients.Any(r => r.OrganisationId == organisationId));
}
