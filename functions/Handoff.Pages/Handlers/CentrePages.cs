using Handoff.Api.Endpoints;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Core.Workflow;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Index;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>The detention centre's pages: its cases with each deadline's state, and the release registration.</summary>
public static class CentrePages
{
    /// <summary>The registration form's fields: the API's JSON names, so a refusal's <c>field</c> is the input at fault.</summary>
    private static readonly string[] RegisterFields =
    [
        "person.name", "person.idNumber", "person.registeredRegion", "person.residenceRegion", "releaseDate", "releaseType",
        "rehabilitationYears", "receivingOfficeId", "policeStationId", "decisionAuthorityId",
    ];

    public static async Task<IResult> CasesAsync(PageRequest p)
    {
        if (Refuse(p) is { } refused)
        {
            return await refused;
        }

        // Every open case of the centre (a work list is never cut short), the soonest due first; the closed ones are in 在册名单.
        var open = await p.Get<CaseIndexStore>().OpenCasesAsync(p.By.Organisation, cancellationToken: p.Aborted);
        // Its own cases, and a person on the way to it from a public-security centre (the sender answers for them until received).
        var cases = open.Where(c => c.CentreId == p.By.Organisation.Id || c.Commitment?.Transfer?.ToCentreId == p.By.Organisation.Id)
            .OrderByDescending(c => c.Escalations.Any(e => e.Status == Core.Cases.EscalationStatus.Open))
            .ThenBy(c => c.NextDueAt ?? DateTimeOffset.MaxValue)
            .ToList();
        return await PageHttp.RenderAsync<CentrePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(CentrePage.Frame)] = PageHttp.Frame(p.Http, "本所案件").Beside(
                cases.Where(c => c.State is "scheduled" or "acknowledged" && c.CentreId == p.By.Organisation.Id).SelectMany(c => new[] { (c.CaseId, "release"), (c.CaseId, "postponement"), (c.CaseId, "cancellation") })),
            [nameof(CentrePage.Cases)] = cases,
            [nameof(CentrePage.Me)] = p.By.Organisation.Id,
            [nameof(CentrePage.Now)] = p.Get<WorkflowTime>().GetUtcNow(),
        });
    }

    public static Task<IResult> RegisterFormAsync(PageRequest p)
    {
        var values = new Dictionary<string, string> { ["releaseType"] = "expiry", ["rehabilitationYears"] = "3" };
        if (RegionCode.TryParse(p.Query("region"), out var region))
        {
            values["person.registeredRegion"] = region.Value.Value; // the filter's region is most often the person's household region
        }

        return Refuse(p) ?? FormAsync(p, values, new Dictionary<string, string>());
    }

    public static async Task<IResult> RegisterAsync(PageRequest p)
    {
        _ = p.ReceivedAt; // stamped before the form is read: the step's legal time is when the form arrived
        if (Refuse(p) is { } refused)
        {
            return await refused;
        }

        var form = await p.Http.Request.ReadFormAsync(p.Aborted);
        var values = RegisterFields.ToDictionary(f => f, f => form[f].ToString().Trim());
        var errors = new Dictionary<string, string>();
        int? years = null;
        if (values["rehabilitationYears"] is { Length: > 0 } y)
        {
            if (int.TryParse(y, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                years = n;
            }
            else
            {
                errors["rehabilitationYears"] = "请填写0至3的整数。";
            }
        }

        string? Optional(string name) => values[name] is { Length: > 0 } v ? v : null;
        if (form["intent"] == "filter")
        {
            // 筛选 is a button of this form: what was typed stays, only the lists of units are narrowed (and the region is most often
            // the person's household region).
            if (values["person.registeredRegion"].Length == 0 && RegionCode.TryParse(form["region"], out var filtered))
            {
                values["person.registeredRegion"] = filtered.Value.Value;
            }

            return await FormAsync(p, values, errors, form["idempotencyKey"], region: form["region"]);
        }

        var body = new RegisterReleaseRequest(
            new PersonRequest(Optional("person.name"), Optional("person.idNumber"), Optional("person.registeredRegion"), Optional("person.residenceRegion")),
            Optional("releaseDate"), Optional("releaseType"), years, Optional("receivingOfficeId"), Optional("policeStationId"), Optional("decisionAuthorityId"));
        var (command, fingerprint, problems) = CommandRequests.RegistrationChecked(
            body, p.By, PageCommands.Key(form["idempotencyKey"]), p.ReceivedAt, p.Get<RegionCatalog>(), p.Get<Storage.Protection.IdNumberProtector>());
        var context = p.Get<Storage.Cases.WorkflowEnvironment>().Context(p.ReceivedAt);
        if (command is not null)
        {
            // Every rule of the core at once as well (the decision itself refuses with the first).
            problems = command.Problems(context);
        }
        else if (body.Person!.Name is { } name && Core.Text.TextRules.Name(name) is { } nameRule && problems.All(x => x.Field != "person.name"))
        {
            problems = [.. problems, Rejection.Invalid("person.name", "invalid-name", nameRule)];
        }

        foreach (var problem in problems)
        {
            errors.TryAdd(problem.Field is { } f && RegisterFields.Contains(f) ? f : "_", Zh.Problem(problem.Code, problem.Detail));
        }

        if (errors.Count > 0)
        {
            return await FormAsync(p, values, errors, form["idempotencyKey"], status: StatusCodes.Status400BadRequest);
        }

        // 戒毒条例 34: a notice later than 3 days before the release opens an escalation at once, and cannot be remedied: the centre is
        // told so and confirms before it is sent.
        if (LegalPeriods.IsLateNotice(command!.ReleaseDate, p.ReceivedAt) && form["confirmLate"] != "yes")
        {
            return await FormAsync(p, values, errors, form["idempotencyKey"], lateNotice: true, lateUnconfirmed: form["lateWarned"] == "yes");
        }

        var outcome = await PageCommands.RegisterAsync(p, command, fingerprint, form["idempotencyKey"]);
        if (outcome.Pending)
        {
            return new SeeOther("/centre?msg=pending");
        }

        if (outcome.Succeeded)
        {
            return new SeeOther(outcome.Record is { } record ? $"/cases/{record.State.CaseId}?msg=registered" : "/centre?msg=registered");
        }

        var field = outcome.Field is { } of && RegisterFields.Contains(of) ? of : outcome.Code is "open-case-exists" or "own-open-case" ? "person.idNumber" : "_";
        errors[field] = Zh.Problem(outcome.Code, outcome.Detail);

        // A refused form keeps its idempotency key only if nothing was recorded; a new key lets the corrected form be sent.
        return await FormAsync(p, values, errors, null, StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> FormAsync(PageRequest p, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> errors,
        string? idempotencyKey = null, int status = StatusCodes.Status200OK, string? region = null, bool lateNotice = false, bool lateUnconfirmed = false)
    {
        var directory = p.Get<OrganisationDirectory>();
        var filter = region is { Length: > 0 } ? region
            : values.GetValueOrDefault("person.residenceRegion") is { Length: > 0 } r ? r
            : values.GetValueOrDefault("person.registeredRegion") is { Length: > 0 } g ? g
            : p.Query("region");
        var code = RegionCode.TryParse(filter, out var parsed) ? parsed : null;
        return await PageHttp.RenderAsync<RegisterPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(RegisterPage.Frame)] = PageHttp.Frame(p.Http, "出所通报"),
            [nameof(RegisterPage.Values)] = values,
            [nameof(RegisterPage.Errors)] = errors,
            [nameof(RegisterPage.Offices)] = Nearest(directory, OrganisationKind.CommunityOffice, code),
            [nameof(RegisterPage.PoliceStations)] = Nearest(directory, OrganisationKind.PoliceStation, code),
            [nameof(RegisterPage.Authorities)] = Nearest(directory, OrganisationKind.DecisionAuthority, p.By.Organisation.Region),
            [nameof(RegisterPage.IdempotencyKey)] = idempotencyKey is { Length: > 0 } k ? k : "page-" + Guid.NewGuid().ToString("N"),
            [nameof(RegisterPage.Region)] = code?.Value ?? filter,
            [nameof(RegisterPage.LateNotice)] = lateNotice,
            [nameof(RegisterPage.LateUnconfirmed)] = lateUnconfirmed,
        }, status);
    }

    /// <summary>
    /// The organisations of a kind, filtered by the person's region: with a region, those of its province, the same county first, then the
    /// same city; without one, all of them by region code.
    /// </summary>
    public static IReadOnlyList<Organisation> Nearest(OrganisationDirectory directory, OrganisationKind kind, RegionCode? region)
    {
        var all = directory.All.Where(o => o.Kind == kind);
        if (region is { } r)
        {
            all = all.Where(o => o.Region.Province == r.Province);
        }

        return all
            .OrderBy(o => region is { } x ? (o.Region.Value == x.Value ? 0 : o.Region.City == x.City ? 1 : 2) : 0)
            .ThenBy(o => o.Region.Value, StringComparer.Ordinal)
            .ThenBy(o => o.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static Task<IResult>? Refuse(PageRequest p) => p.By.Organisation.Kind == OrganisationKind.Centre ? null
        : PageHttp.ErrorAsync(p.Http, StatusCodes.Status403Forbidden, "无权访问", "这一页只供强制隔离戒毒所使用。");
}
