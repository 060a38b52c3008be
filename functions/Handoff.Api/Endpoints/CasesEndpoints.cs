using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.People;
using Handoff.Core.Text;
using Handoff.Core.Regions;
using Handoff.Core.Time;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Protection;
using Handoff.Workflow;
using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>The release registration, the commands on a case and the case reads. Each handler maps its body to a command; the core decides.</summary>
public static class CasesEndpoints
{
    public static async Task<IResult> RegisterAsync(HandoffRequest r)
    {
        var caller = r.By;
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<RegisterReleaseRequest>(r);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (body is null)
        {
            return Problems.Invalid("body", "body-required", "must be a JSON object");
        }

        if (body.Person is not { } person)
        {
            return Problems.Invalid("person", "required", "is required");
        }

        if (TextRules.Name(person.Name) is { } nameRule)
        {
            return Problems.Invalid("person.name", "invalid-name", nameRule);
        }

        var regions = r.Get<RegionCatalog>();
        var today = ChinaTime.LocalDate(HandoffHttp.ReceivedAt(r));
        if (!ResidentIdNumber.TryParse(person.IdNumber, today, out var idNumber, out var idError))
        {
            return Problems.Invalid("person.idNumber", "invalid-id-number", idError!);
        }

        // The address code is the county that issued the number and stays valid after renames and mergers (GB 11643): only its
        // province is checked against today's list.
        if (!regions.HasProvince(idNumber!.ProvincePrefix))
        {
            return Problems.Invalid("person.idNumber", "invalid-id-number", "characters 1–2 must be a province code (GB/T 2260)");
        }

        if (!RegionCode.TryParse(person.RegisteredRegion, out var registered) || !regions.Contains(registered.Value))
        {
            return Problems.Invalid("person.registeredRegion", "invalid-region", $"must be an administrative division code on the GB/T 2260 list (as of {regions.AsOf})");
        }

        var residence = registered;
        if (person.ResidenceRegion is not null && (!RegionCode.TryParse(person.ResidenceRegion, out residence) || !regions.Contains(residence.Value)))
        {
            return Problems.Invalid("person.residenceRegion", "invalid-region", $"must be an administrative division code on the GB/T 2260 list (as of {regions.AsOf})");
        }

        if (!TryDate(body.ReleaseDate, out var releaseDate))
        {
            return Problems.Invalid("releaseDate", "invalid-date", "is required, as yyyy-MM-dd");
        }

        ReleaseType releaseType;
        switch (body.ReleaseType)
        {
            case "expiry": releaseType = ReleaseType.Expiry; break;
            case "early": releaseType = ReleaseType.Early; break;
            default: return Problems.Invalid("releaseType", "invalid-release-type", "must be expiry or early");
        }

        if (body.RehabilitationYears is not { } years)
        {
            return Problems.Invalid("rehabilitationYears", "required", "is required, 0–3");
        }

        foreach (var (field, value) in new[] { ("receivingOfficeId", body.ReceivingOfficeId), ("policeStationId", body.PoliceStationId), ("decisionAuthorityId", body.DecisionAuthorityId) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 100)
            {
                return Problems.Invalid(field, "required", "is required, at most 100 characters");
            }
        }

        var key = r.Header(CaseCommands.IdempotencyHeader);
        if (key is { Length: > 200 })
        {
            return Problems.Invalid(CaseCommands.IdempotencyHeader, "idempotency-key-too-long", "must be at most 200 characters");
        }

        var protector = r.Get<IdNumberProtector>();
        var record = new PersonRecord(TextRules.Clean(person.Name!), idNumber.Masked, protector.Protect(idNumber.Value), protector.Lookup(idNumber.Value),
            registered.Value.Value, residence!.Value.Value);
        var caseId = key is null ? CaseIds.New() : CaseIds.ForIdempotencyKey(caller.Organisation.Id, key);
        var command = new RegisterRelease(caller.Actor, caseId, record, body.ReceivingOfficeId!, body.PoliceStationId!, body.DecisionAuthorityId!,
            releaseDate, releaseType, years);

        // The fingerprint uses the request as sent, identity number included only as its keyed hash.
        var fingerprint = CaseCommands.Fingerprint(body with { Person = person with { IdNumber = record.IdNumberLookup } });
        return await r.Get<CaseCommands>().RegisterAsync(r, command, key, fingerprint);
    }

    public static async Task<IResult> GetAsync(HandoffRequest r)
    {
        var commands = r.Get<CaseCommands>();
        var record = await commands.ReadableAsync(r);
        return record is null ? Problems.NotFound("case") : TypedResults.Ok(await commands.ViewAsync(record.State, r.Aborted));
    }

    /// <summary>What became of a command the API answered 202 for: the case once applied, the problem if refused, 202 while pending.</summary>
    public static async Task<IResult> CommandAsync(HandoffRequest r)
    {
        var commands = r.Get<CaseCommands>();
        var commandId = r.Http.Request.RouteValues["commandId"]?.ToString() ?? "";
        if (!CaseCommands.IsCommandId(commandId))
        {
            return Problems.NotFound("command");
        }

        return await commands.OutcomeAsync(r, commandId);
    }

    public static async Task<IResult> ListAsync(HandoffRequest r)
    {
        var state = NullIfEmpty(r.Query("state"));
        if (state is not null && !Enum.GetNames<CaseState>().Any(n => string.Equals(JsonNamingPolicy.CamelCase.ConvertName(n), state, StringComparison.Ordinal)))
        {
            return Problems.Invalid("state", "invalid-state", "must be one of " + string.Join(", ", Enum.GetNames<CaseState>().Select(JsonNamingPolicy.CamelCase.ConvertName)));
        }

        bool? overdue;
        switch (NullIfEmpty(r.Query("overdue")))
        {
            case null: overdue = null; break;
            case "true": overdue = true; break;
            case "false": overdue = false; break;
            default: return Problems.Invalid("overdue", "invalid-boolean", "must be true or false");
        }

        if (!Paging.TryRead(r, out var take, out var continuation, out var problem))
        {
            return problem!;
        }

        var page = await r.Get<CaseIndexStore>().QueryAsync(r.By.Organisation, state, overdue, continuation, take, r.Aborted);
        return TypedResults.Ok(new Page<CaseSummary>(page.Cases, page.ContinuationToken));
    }

    public static Task<IResult> AcknowledgeAsync(HandoffRequest r) =>
        RunAsync(r, new AcknowledgeNotice(r.By.Actor), new { });

    public static async Task<IResult> ReleaseAsync(HandoffRequest r)
    {
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<RecordReleaseRequest>(r);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (body?.CollectedBy is not { } collected)
        {
            return Problems.Invalid("collectedBy", "required", "is required: {kind: family|police|office|none, name}");
        }

        CollectorKind kind;
        switch (collected.Kind)
        {
            case "family": kind = CollectorKind.Family; break;
            case "police": kind = CollectorKind.Police; break;
            case "office": kind = CollectorKind.Office; break;
            case "none": kind = CollectorKind.None; break;
            default: return Problems.Invalid("collectedBy.kind", "invalid-collector", "must be family, police, office or none");
        }

        if (!string.IsNullOrWhiteSpace(collected.Name) && TextRules.Name(collected.Name) is { } nameRule)
        {
            return Problems.Invalid("collectedBy.name", "invalid-name", nameRule);
        }

        var name = string.IsNullOrWhiteSpace(collected.Name) ? null : TextRules.Clean(collected.Name);
        return await RunAsync(r, new RecordRelease(r.By.Actor, body.ReleasedAt ?? Now(r), new CollectedBy(kind, name)), body);
    }

    public static async Task<IResult> ReportAsync(HandoffRequest r)
    {
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<RecordReportRequest>(r);
        return unreadable ?? await RunAsync(r, new RecordReport(r.By.Actor, body?.ReportedAt ?? Now(r)), body ?? new RecordReportRequest(null));
    }

    public static async Task<IResult> AgreementAsync(HandoffRequest r)
    {
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<RecordAgreementRequest>(r);
        return unreadable ?? await RunAsync(r, new RecordAgreement(r.By.Actor, body?.SignedAt ?? Now(r)), body ?? new RecordAgreementRequest(null));
    }

    public static async Task<IResult> CancelAsync(HandoffRequest r)
    {
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<CancelRequest>(r);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (TextRules.Reason(body?.Reason) is { } rule)
        {
            return Problems.Invalid("reason", "invalid-text", rule);
        }

        return await RunAsync(r, new CancelRelease(r.By.Actor, TextRules.CleanNote(body?.Reason)), body ?? new CancelRequest(null));
    }

    public static async Task<IResult> PostponeAsync(HandoffRequest r)
    {
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<PostponeRequest>(r);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (!TryDate(body?.NewReleaseDate, out var date))
        {
            return Problems.Invalid("newReleaseDate", "invalid-date", "is required, as yyyy-MM-dd");
        }

        if (TextRules.Reason(body!.Reason) is { } rule)
        {
            return Problems.Invalid("reason", "invalid-text", rule);
        }

        return await RunAsync(r, new PostponeRelease(r.By.Actor, date, TextRules.CleanNote(body.Reason)), body);
    }

    public static async Task<IResult> FoundAsync(HandoffRequest r)
    {
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<PersonFoundRequest>(r);
        if (unreadable is not null)
        {
            return unreadable;
        }

        if (TextRules.Note(body?.Note) is { } rule)
        {
            return Problems.Invalid("note", "invalid-text", rule);
        }

        var command = new RecordPersonFound(r.By.Actor, body?.FoundAt ?? Now(r), TextRules.CleanNote(body?.Note));
        return await RunAsync(r, command, body ?? new PersonFoundRequest(null, null));
    }

    private static Task<IResult> RunAsync(HandoffRequest r, CaseCommand command, object request) =>
        r.Get<CaseCommands>().RunAsync(r, r.Id, command, request);

    /// <summary>The workflow instant the request was received: a step's legal time when the body names none.</summary>
    private static DateTimeOffset Now(HandoffRequest r) => HandoffHttp.ReceivedAt(r);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
