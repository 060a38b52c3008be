using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;

namespace Handoff.Api.Endpoints;

/// <summary>A case as the API shows it. The identity number appears only masked; ciphertext and lookup hash never leave storage.</summary>
/// <param name="ReceivingOfficeId">Null until the release notice of a file that began with the decision names the office.</param>
/// <param name="CentreId">The centre; null for a file opened by a 社区戒毒 order.</param>
/// <param name="Community">The 社区戒毒 or 社区康复 period, from the order or the report to its end; null before.</param>
/// <param name="EndedCommunities">Periods ended by a new 强制隔离戒毒 decision on the file, oldest first.</param>
/// <param name="Commitment">The decision, the centres and the term, for a file that began with the decision (null for one registered at the release).</param>
public sealed record CaseView(
    string CaseId,
    CaseState State,
    PersonView Person,
    string? CentreId,
    string? ReceivingOfficeId,
    string? PoliceStationId,
    string DecisionAuthorityId,
    DateOnly ReleaseDate,
    ReleaseType ReleaseType,
    int RehabilitationYears,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ReleasedAt,
    CollectedBy? CollectedBy,
    DateTimeOffset? ReportedAt,
    DateTimeOffset? AgreementSignedAt,
    DateTimeOffset? CancelledAt,
    DateTimeOffset? NextDueAt,
    IReadOnlyList<Deadline> Deadlines,
    IReadOnlyList<Escalation> Escalations,
    IReadOnlyList<HistoryView> History,
    Commitment? Commitment,
    CommunityView? Community,
    IReadOnlyList<CommunityView>? EndedCommunities = null)
{
    public static CaseView From(Case c, IReadOnlyList<HistoryEntry> history) => new(
        c.CaseId, c.State,
        new PersonView(c.Person.Name, c.Person.MaskedIdNumber, c.Person.RegisteredRegion, c.Person.ResidenceRegion),
        c.CentreId, c.OfficeId, c.PoliceStationId, c.DecisionAuthorityId, c.ReleaseDate, c.ReleaseType, c.RehabilitationYears,
        c.RegisteredAt, c.AcknowledgedAt, c.ReleasedAt, c.CollectedBy, c.ReportedAt, c.AgreementSignedAt, c.CancelledAt,
        CaseWorkflow.NextDueAt(c), c.Deadlines, c.Escalations, history.Select(HistoryView.From).ToList(), c.Commitment,
        c.Community is null ? null : CommunityView.From(c.Community, c.ReportedAt),
        c.EndedCommunities.Select(k => CommunityView.From(k)).ToList());
}

/// <summary>
/// The 社区戒毒 or 社区康复 period (戒毒条例 13–24, 37–40) with the counts of 戒毒条例 20 taken over the whole period. Days away without leave
/// are given as those of ended absences plus <see cref="AwaySince"/> for one going on (the reader counts to its own today).
/// </summary>
public sealed record CommunityView(
    CommunityKind Kind,
    string? OrderNumber,
    DateTimeOffset? OrderServedAt,
    int Years,
    DateOnly? StartedOn,
    DateOnly? EndsOn,
    int DaysSuspended,
    DateTimeOffset? SuspendedAt,
    SuspensionReason? SuspensionReason,
    IReadOnlyList<CommunityCheck> Checks,
    IReadOnlyList<CommunityAbsence> Absences,
    int MissedTests,
    int Departures,
    int DaysAwayEnded,
    DateOnly? AwaySince,
    DateTimeOffset? LastContactAt,
    IReadOnlyList<ViolationGround> Grounds,
    int ViolationsReported,
    PlaceChange? Move,
    IReadOnlyList<string> Offices,
    DateOnly? EndedOn,
    CommunityEnd? EndReason,
    DateTimeOffset? EndNoticeServedAt,
    DateOnly? DynamicControlEndsOn,
    int DaysCredited = 0)
{
    /// <summary>The period as shown; <paramref name="reportedAt"/>, the file's report, is a contact too (the last one until a check).</summary>
    public static CommunityView From(Community k, DateTimeOffset? reportedAt = null) => new(
        k.Kind, k.OrderNumber, k.OrderServedAt, k.Years, k.StartedOn, k.EndsOn, k.DaysSuspended, k.SuspendedAt, k.SuspensionReason, k.Checks, k.Absences,
        k.MissedTests, k.Departures, k.DaysAwayOn(k.AwaySince ?? default), // the ended absences' days: one going on counts none on its first day
        k.AwaySince, new[] { k.LastContactAt, k.Move?.ReportedAt, reportedAt }.Max(), k.Grounds, k.ViolationsReported, k.Move, k.Offices, k.EndedOn, k.EndReason, k.EndNoticeServedAt, k.DynamicControlEndsOn, k.DaysCredited);
}

public sealed record PersonView(string Name, string MaskedIdNumber, string RegisteredRegion, string ResidenceRegion);

/// <summary>One history entry: who did what, when, through which credential, and the event's details.</summary>
/// <param name="ByName">The person who took the step, when they signed in by name (a page session); null otherwise.</param>
public sealed record HistoryView(int Sequence, string Type, DateTimeOffset At, string By, string Credential, string? ByName, JsonObject Details)
{
    public static HistoryView From(HistoryEntry entry)
    {
        var details = JsonSerializer.SerializeToNode(entry.Event, ApiJson.Options)!.AsObject();
        foreach (var key in new[] { "type", "at", "by" })
        {
            details.Remove(key);
        }

        if (details["person"] is JsonObject person)
        {
            person.Remove("protectedIdNumber");
            person.Remove("idNumberLookup");
        }

        return new HistoryView(entry.Sequence, entry.Event.GetType().Name, entry.Event.At, entry.Event.By.OrganisationId, entry.Event.By.Credential, entry.Event.By.Name, details);
    }
}
