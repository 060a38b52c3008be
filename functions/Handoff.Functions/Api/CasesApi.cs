using System.Globalization;
using Handoff.Core.Cases;
using Handoff.Core.People;
using Handoff.Core.Regions;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Protection;
using Handoff.Storage.Runtime;
using Microsoft.AspNetCore.Mvc;

namespace Handoff.Functions.Api;

/// <summary>The release registration and the commands on a case. Each endpoint maps its body to a command; the core decides.</summary>
public static class CasesApi
{
    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Cases");
        api.MapPost("/releases", RegisterAsync).WithName("RegisterRelease").WithSummary("A centre registers an upcoming release (creates the case).");
        api.MapGet("/cases/{id}", GetAsync).WithName("GetCase");
        api.MapGet("/cases", ListAsync).WithName("ListCases").WithSummary("Cases the caller may see; supervisors: every case under their region prefix.");
        api.MapPost("/cases/{id}/acknowledgement", AcknowledgeAsync).WithName("AcknowledgeNotice");
        api.MapPost("/cases/{id}/release", ReleaseAsync).WithName("RecordRelease");
        api.MapPost("/cases/{id}/report", ReportAsync).WithName("RecordReport");
        api.MapPost("/cases/{id}/agreement", AgreementAsync).WithName("RecordAgreement");
        api.MapPost("/cases/{id}/cancellation", CancelAsync).WithName("CancelRelease");
        api.MapPost("/cases/{id}/postponement", PostponeAsync).WithName("PostponeRelease");
        api.MapPost("/cases/{id}/found", FoundAsync).WithName("RecordPersonFound").WithSummary("Police or the office record that a person not collected was found.");
        return app;
    }

    private static async Task<IResult> RegisterAsync(
        RegisterReleaseRequest? body, CaseCommands commands, CaseCommandRunner runner, IdNumberProtector protector, HttpContext http,
        [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        if (body is null)
        {
            return Problems.Invalid("body", "body-required", "must be a JSON object");
        }

        if (body.Person is not { } person)
        {
            return Problems.Invalid("person", "required", "is required");
        }

        if (string.IsNullOrWhiteSpace(person.Name) || person.Name.Trim().Length > 50)
        {
            return Problems.Invalid("person.name", "name-required", "is required, at most 50 characters");
        }

        if (!ResidentIdNumber.TryParse(person.IdNumber, out var idNumber, out var idError))
        {
            return Problems.Invalid("person.idNumber", "invalid-id-number", idError!);
        }

        if (!RegionCode.TryParse(person.RegisteredRegion, out var registered))
        {
            return Problems.Invalid("person.registeredRegion", "invalid-region", "must be a 6-digit administrative division code (GB/T 2260)");
        }

        var residence = registered;
        if (person.ResidenceRegion is not null && !RegionCode.TryParse(person.ResidenceRegion, out residence))
        {
            return Problems.Invalid("person.residenceRegion", "invalid-region", "must be a 6-digit administrative division code (GB/T 2260)");
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
            if (string.IsNullOrWhiteSpace(value))
            {
                return Problems.Invalid(field, "required", "is required");
            }
        }

        if (key is { Length: > 200 })
        {
            return Problems.Invalid(CaseCommands.IdempotencyHeader, "idempotency-key-too-long", "must be at most 200 characters");
        }

        var record = new PersonRecord(person.Name.Trim(), idNumber!.Masked, protector.Protect(idNumber.Value), protector.Lookup(idNumber.Value),
            registered.Value.Value, residence!.Value.Value);
        var caseId = key is null ? CaseIds.New() : CaseIds.ForIdempotencyKey(caller.Organisation.Id, key);
        var command = new RegisterRelease(caller.Actor, caseId, record, body.ReceivingOfficeId!, body.PoliceStationId!, body.DecisionAuthorityId!,
            releaseDate, releaseType, years);

        // The fingerprint uses the request as sent, identity number included only as its keyed hash.
        var fingerprint = CaseCommands.Fingerprint(body with { Person = person with { IdNumber = record.IdNumberLookup } });
        var outcome = await runner.ExecuteAsync(caseId, command, key, fingerprint, caller.Organisation, cancellationToken);
        if (outcome.Rejection is not null)
        {
            return Problems.From(outcome.Rejection);
        }

        var view = await commands.ViewAsync(outcome.Case!, cancellationToken);
        return TypedResults.Created($"/api/cases/{view.CaseId}", view);
    }

    private static async Task<IResult> GetAsync(string id, CaseCommands commands, CaseStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        if (!CaseIds.IsCaseId(id))
        {
            return Problems.NotFound("case");
        }

        var (record, _) = await store.LoadAsync(id, cancellationToken: cancellationToken);
        if (record is null || !Handoff.Core.Workflow.CaseAccess.CanRead(caller.Organisation, record.State, commands.Directory))
        {
            return Problems.NotFound("case");
        }

        return TypedResults.Ok(await commands.ViewAsync(record.State, cancellationToken));
    }

    private static async Task<IResult> ListAsync(
        CaseCommands commands, CaseIndexStore index, HttpContext http, string? state, string? overdue, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        if (state is not null && !Enum.GetNames<CaseState>().Any(n => string.Equals(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(n), state, StringComparison.Ordinal)))
        {
            return Problems.Invalid("state", "invalid-state", "must be one of " + string.Join(", ", Enum.GetNames<CaseState>().Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName)));
        }

        bool? overdueFilter;
        switch (overdue)
        {
            case null: overdueFilter = null; break;
            case "true": overdueFilter = true; break;
            case "false": overdueFilter = false; break;
            default: return Problems.Invalid("overdue", "invalid-boolean", "must be true or false");
        }

        return TypedResults.Ok(await index.QueryAsync(caller.Organisation, state, overdueFilter, cancellationToken));
    }

    private static Task<IResult> AcknowledgeAsync(
        string id, CaseCommands commands, HttpContext http, [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        return commands.RunAsync(id, caller, new AcknowledgeNotice(caller.Actor), new { }, key, cancellationToken);
    }

    private static Task<IResult> ReleaseAsync(
        string id, RecordReleaseRequest? body, CaseCommands commands, TimeProvider time, HttpContext http,
        [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        if (body?.CollectedBy is not { } collected)
        {
            return Task.FromResult(Problems.Invalid("collectedBy", "required", "is required: {kind: family|police|office|none, name}"));
        }

        CollectorKind kind;
        switch (collected.Kind)
        {
            case "family": kind = CollectorKind.Family; break;
            case "police": kind = CollectorKind.Police; break;
            case "office": kind = CollectorKind.Office; break;
            case "none": kind = CollectorKind.None; break;
            default: return Task.FromResult(Problems.Invalid("collectedBy.kind", "invalid-collector", "must be family, police, office or none"));
        }

        var command = new RecordRelease(caller.Actor, body.ReleasedAt ?? time.GetUtcNow(), new CollectedBy(kind, string.IsNullOrWhiteSpace(collected.Name) ? null : collected.Name.Trim()));
        return commands.RunAsync(id, caller, command, body, key, cancellationToken);
    }

    private static Task<IResult> ReportAsync(
        string id, RecordReportRequest? body, CaseCommands commands, TimeProvider time, HttpContext http,
        [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        var command = new RecordReport(caller.Actor, body?.ReportedAt ?? time.GetUtcNow());
        return commands.RunAsync(id, caller, command, body ?? new RecordReportRequest(null), key, cancellationToken);
    }

    private static Task<IResult> AgreementAsync(
        string id, RecordAgreementRequest? body, CaseCommands commands, TimeProvider time, HttpContext http,
        [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        var command = new RecordAgreement(caller.Actor, body?.SignedAt ?? time.GetUtcNow());
        return commands.RunAsync(id, caller, command, body ?? new RecordAgreementRequest(null), key, cancellationToken);
    }

    private static Task<IResult> CancelAsync(
        string id, CancelRequest? body, CaseCommands commands, HttpContext http,
        [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        if (body?.Reason is { Length: > 500 })
        {
            return Task.FromResult(Problems.Invalid("reason", "too-long", "must be at most 500 characters"));
        }

        return commands.RunAsync(id, caller, new CancelRelease(caller.Actor, body?.Reason), body ?? new CancelRequest(null), key, cancellationToken);
    }

    private static Task<IResult> PostponeAsync(
        string id, PostponeRequest? body, CaseCommands commands, HttpContext http,
        [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        if (!TryDate(body?.NewReleaseDate, out var date))
        {
            return Task.FromResult(Problems.Invalid("newReleaseDate", "invalid-date", "is required, as yyyy-MM-dd"));
        }

        if (body!.Reason is { Length: > 500 })
        {
            return Task.FromResult(Problems.Invalid("reason", "too-long", "must be at most 500 characters"));
        }

        return commands.RunAsync(id, caller, new PostponeRelease(caller.Actor, date, body.Reason), body, key, cancellationToken);
    }

    private static Task<IResult> FoundAsync(
        string id, PersonFoundRequest? body, CaseCommands commands, TimeProvider time, HttpContext http,
        [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        if (body?.Note is { Length: > 500 })
        {
            return Task.FromResult(Problems.Invalid("note", "too-long", "must be at most 500 characters"));
        }

        var command = new RecordPersonFound(caller.Actor, body?.FoundAt ?? time.GetUtcNow(), body?.Note);
        return commands.RunAsync(id, caller, command, body ?? new PersonFoundRequest(null, null), key, cancellationToken);
    }

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
