using System.Globalization;
using Handoff.Api.Auth;
using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.People;
using Handoff.Core.Regions;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Protection;

namespace Handoff.Api.Endpoints;

/// <summary>
/// Each request body mapped to its command, once, for the API's endpoints and the pages alike: what the body's types cannot say (a date,
/// an identity number, a region on the GB/T 2260 list, an enumerated word) is refused here, naming the field; every rule about a case —
/// who may, when, names and reasons, dates in the future — is the core's (<see cref="CaseWorkflow.Decide"/>), checked once, there.
/// </summary>
public static class CommandRequests
{
    /// <summary>A registration: the person's identity number checked (GB 11643) and protected, regions checked, the case id derived.</summary>
    /// <param name="key">The caller's <c>Idempotency-Key</c>: a retry under it lands on the same case.</param>
    /// <returns>The command and the request's fingerprint (identity number only as its keyed hash), or the field at fault.</returns>
    public static (RegisterRelease? Command, string Fingerprint, Rejection? Problem) Registration(
        RegisterReleaseRequest? body, Caller caller, string? key, DateTimeOffset receivedAt, RegionCatalog regions, IdNumberProtector protector)
    {
        var (command, fingerprint, problems) = RegistrationChecked(body, caller, key, receivedAt, regions, protector);
        return (command, fingerprint, problems.Count > 0 ? problems[0] : null);
    }

    /// <summary>
    /// The same, with every field at fault rather than the first: each field is checked on its own, so a form shows all its errors at
    /// once. Empty when the command was made.
    /// </summary>
    public static (RegisterRelease? Command, string Fingerprint, IReadOnlyList<Rejection> Problems) RegistrationChecked(
        RegisterReleaseRequest? body, Caller caller, string? key, DateTimeOffset receivedAt, RegionCatalog regions, IdNumberProtector protector)
    {
        if (body is null)
        {
            return (null, "", [Rejection.Invalid("body", "body-required", "must be a JSON object")]);
        }

        if (body.Person is not { } person)
        {
            return (null, "", [Rejection.Invalid("person", "required", "is required")]);
        }

        var problems = new List<Rejection>();
        var record = Person(person, receivedAt, regions, protector, problems);
        if (!TryDate(body.ReleaseDate, out var releaseDate))
        {
            problems.Add(Rejection.Invalid("releaseDate", "invalid-date", "is required, as yyyy-MM-dd"));
        }

        var releaseType = ReleaseType.Expiry;
        switch (body.ReleaseType)
        {
            case "expiry": break;
            case "early": releaseType = ReleaseType.Early; break;
            default: problems.Add(Rejection.Invalid("releaseType", "invalid-release-type", "must be expiry or early")); break;
        }

        if (body.RehabilitationYears is null)
        {
            problems.Add(Rejection.Invalid("rehabilitationYears", "required", "is required, 0–3"));
        }

        foreach (var (field, value) in new[] { ("receivingOfficeId", body.ReceivingOfficeId), ("policeStationId", body.PoliceStationId), ("decisionAuthorityId", body.DecisionAuthorityId) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 100)
            {
                problems.Add(Rejection.Invalid(field, "required", "is required, at most 100 characters"));
            }
        }

        if (problems.Count > 0)
        {
            return (null, "", problems);
        }

        var caseId = key is null ? CaseIds.New() : CaseIds.ForIdempotencyKey(caller.Organisation.Id, key);
        var command = new RegisterRelease(caller.Actor, caseId, record!, body.ReceivingOfficeId!, body.PoliceStationId!, body.DecisionAuthorityId!,
            releaseDate, releaseType, body.RehabilitationYears!.Value);
        return (command, Fingerprint(body with { Person = person with { IdNumber = record!.IdNumberLookup } }), []);
    }

    /// <summary>
    /// The person of a command that opens a file: the identity number checked (GB 11643) and protected, the regions on the GB/T 2260
    /// list. Null, with each field at fault added to <paramref name="problems"/>, when any is.
    /// </summary>
    public static PersonRecord? Person(PersonRequest person, DateTimeOffset receivedAt, RegionCatalog regions, IdNumberProtector protector, List<Rejection> problems)
    {
        var before = problems.Count;
        if (person.Name is null)
        {
            problems.Add(Rejection.Invalid("person.name", "invalid-name", "is required and must not be blank"));
        }

        if (!ResidentIdNumber.TryParse(person.IdNumber, ChinaTime.LocalDate(receivedAt), out var idNumber, out var idError))
        {
            problems.Add(Rejection.Invalid("person.idNumber", "invalid-id-number", idError!));
        }
        else if (!regions.HasProvince(idNumber!.ProvincePrefix))
        {
            // The address code is the county that issued the number and stays valid after renames and mergers (GB 11643): only its
            // province is checked against today's list.
            problems.Add(Rejection.Invalid("person.idNumber", "invalid-id-number", "characters 1–2 must be a province code (GB/T 2260)"));
        }

        if (!RegionCode.TryParse(person.RegisteredRegion, out var registered) || !regions.Contains(registered.Value))
        {
            problems.Add(Rejection.Invalid("person.registeredRegion", "invalid-region", $"must be an administrative division code on the GB/T 2260 list (as of {regions.AsOf})"));
        }

        var residence = registered;
        if (person.ResidenceRegion is not null && (!RegionCode.TryParse(person.ResidenceRegion, out residence) || !regions.Contains(residence.Value)))
        {
            problems.Add(Rejection.Invalid("person.residenceRegion", "invalid-region", $"must be an administrative division code on the GB/T 2260 list (as of {regions.AsOf})"));
        }

        return problems.Count > before
            ? null
            : new PersonRecord(person.Name!, idNumber!.Masked, protector.Protect(idNumber.Value), protector.Lookup(idNumber.Value),
                registered!.Value.Value, residence!.Value.Value);
    }

    /// <summary>
    /// A 强制隔离戒毒 decision: the person as for a registration, the decision's number, day and service, the centre. Every field at fault,
    /// as a form shows them; the rules about the decision itself (who may, the dates, the centre) are the core's.
    /// </summary>
    public static (RecordDecision? Command, string Fingerprint, IReadOnlyList<Rejection> Problems) DecisionChecked(
        RecordDecisionRequest? body, Caller caller, string? key, DateTimeOffset receivedAt, RegionCatalog regions, IdNumberProtector protector)
    {
        if (body is null)
        {
            return (null, "", [Rejection.Invalid("body", "body-required", "must be a JSON object")]);
        }

        if (body.Person is not { } person)
        {
            return (null, "", [Rejection.Invalid("person", "required", "is required")]);
        }

        var problems = new List<Rejection>();
        var record = Person(person, receivedAt, regions, protector, problems);
        if (string.IsNullOrWhiteSpace(body.DecisionNumber))
        {
            problems.Add(Rejection.Invalid("decisionNumber", "required", "is required: the 决定书's number"));
        }

        if (string.IsNullOrWhiteSpace(body.DecidedOn))
        {
            problems.Add(Rejection.Invalid("decidedOn", "required", "is required, as yyyy-MM-dd"));
        }
        else if (!TryDate(body.DecidedOn, out _))
        {
            problems.Add(Rejection.Invalid("decidedOn", "invalid-date", "must be a date, yyyy-MM-dd"));
        }

        TryDate(body.DecidedOn, out var decidedOn);

        if (body.ServedAt is null)
        {
            problems.Add(Rejection.Invalid("servedAt", "required", "is required: when the decision was served on the person"));
        }

        if (string.IsNullOrWhiteSpace(body.CentreId) || body.CentreId.Length > 100)
        {
            problems.Add(Rejection.Invalid("centreId", "required", "is required, at most 100 characters"));
        }

        if (problems.Count > 0)
        {
            return (null, "", problems);
        }

        var caseId = key is null ? CaseIds.New() : CaseIds.ForIdempotencyKey(caller.Organisation.Id, key);
        var command = new RecordDecision(caller.Actor, caseId, record!, body.DecisionNumber!, decidedOn, body.ServedAt!.Value, body.CentreId!);
        return (command, Fingerprint(body with { Person = person with { IdNumber = record!.IdNumberLookup } }), []);
    }

    /// <summary>A 社区戒毒 order's body checked field by field (every problem at once), and the command it makes.</summary>
    public static (Core.Execution.RecordCommunityOrder? Command, string Fingerprint, IReadOnlyList<Rejection> Problems) CommunityOrderChecked(
        CommunityOrderRequest? body, Caller caller, string? key, DateTimeOffset receivedAt, RegionCatalog regions, IdNumberProtector protector)
    {
        if (body is null)
        {
            return (null, "", [Rejection.Invalid("body", "body-required", "must be a JSON object")]);
        }

        if (body.Person is not { } person)
        {
            return (null, "", [Rejection.Invalid("person", "required", "is required")]);
        }

        var problems = new List<Rejection>();
        var record = Person(person, receivedAt, regions, protector, problems);
        if (string.IsNullOrWhiteSpace(body.OrderNumber))
        {
            problems.Add(Rejection.Invalid("orderNumber", "required", "is required: the 责令社区戒毒决定书's number"));
        }

        if (!TryDate(body.DecidedOn, out var decidedOn))
        {
            problems.Add(string.IsNullOrWhiteSpace(body.DecidedOn)
                ? Rejection.Invalid("decidedOn", "required", "is required, as yyyy-MM-dd")
                : Rejection.Invalid("decidedOn", "invalid-date", "must be a date, yyyy-MM-dd"));
        }

        if (body.ServedAt is null)
        {
            problems.Add(Rejection.Invalid("servedAt", "required", "is required: when the order was served on the person (戒毒条例 14: the 15 days count from it)"));
        }

        foreach (var (field, value) in new[] { ("officeId", body.OfficeId), ("policeStationId", body.PoliceStationId) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 100)
            {
                problems.Add(Rejection.Invalid(field, "required", "is required, at most 100 characters"));
            }
        }

        if (problems.Count > 0)
        {
            return (null, "", problems);
        }

        var caseId = key is null ? CaseIds.New() : CaseIds.ForIdempotencyKey(caller.Organisation.Id, key);
        var command = new Core.Execution.RecordCommunityOrder(caller.Actor, caseId, record!, body.OrderNumber!, decidedOn, body.ServedAt!.Value, body.OfficeId!, body.PoliceStationId!);
        return (command, Fingerprint(body with { Person = person with { IdNumber = record!.IdNumberLookup } }), []);
    }

    public static CaseCommand EscalationRead(Actor by, string escalationId) => new MarkEscalationRead(by, escalationId);

    /// <summary>What a request said, for its <c>Idempotency-Key</c>: the same key with another request is refused.</summary>
    public static string Fingerprint(object request) => System.Text.Json.JsonSerializer.Serialize(request, request.GetType(), Core.Serialization.CoreJson.Options);

    internal static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
