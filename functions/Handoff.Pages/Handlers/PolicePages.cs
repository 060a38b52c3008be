using Handoff.Api.Endpoints;
using Handoff.Core.Cases;
using Handoff.Core.Regions;
using Handoff.Core.Organisations;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Index;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>
/// The police's page: for a 派出所 the people of its area, for a deciding 公安机关 the people it decided on — whom to look for (脱失, or
/// nobody collected at the gate: the station records 已找到此人), who is about to leave a centre, who has left and not yet reported.
/// Only what they act on or must know: no 签收, no agreement.
/// </summary>
public static class PolicePages
{
    /// <summary>The decision form's fields: the API's JSON names, so a refusal's <c>field</c> is the input at fault.</summary>
    private static readonly string[] DecisionFields =
    [
        "person.name", "person.idNumber", "person.registeredRegion", "person.residenceRegion", "decisionNumber", "decidedOn", "servedAt", "centreId",
    ];

    public static Task<IResult> DecisionFormAsync(PageRequest p) =>
        RefuseAllButDecidingOrgans(p) ?? DecisionFormAsync(p, new Dictionary<string, string>(), new Dictionary<string, string>(), null, StatusCodes.Status200OK);

    /// <summary>A 强制隔离戒毒 decision from the form: every field at fault at once (the API's and the core's rules), else the file is opened.</summary>
    public static async Task<IResult> DecideAsync(PageRequest p)
    {
        _ = p.ReceivedAt; // stamped before the form is read
        if (RefuseAllButDecidingOrgans(p) is { } refused)
        {
            return await refused;
        }

        var f = await OpeningForm.ReadAsync(p, DecisionFields);
        var body = new RecordDecisionRequest(f.Person, f.Optional("decisionNumber"), f.Optional("decidedOn"), f.ServedAt, f.Optional("centreId"));
        var (command, fingerprint, problems) = CommandRequests.DecisionChecked(
            body, p.By, f.Key, p.ReceivedAt, p.Get<RegionCatalog>(), p.Get<Storage.Protection.IdNumberProtector>());
        var context = p.Get<Storage.Cases.WorkflowEnvironment>().Context(p.ReceivedAt);
        if (command is not null)
        {
            problems = command.Problems(context);
        }
        else if (DateOnly.TryParseExact(body.DecidedOn, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var decidedOn)
                 && body.ServedAt is { } served)
        {
            // The identity number (or another field the API checks) is at fault, but the decision's own rules are shown at once too: the
            // core's checks run on what was typed, the person aside.
            var typed = new Core.Chain.RecordDecision(p.By.Actor, "HO-FORMCHECKS01", new Core.People.PersonRecord(body.Person!.Name ?? "", "", "", "", "", ""),
                body.DecisionNumber ?? "", decidedOn, served, body.CentreId ?? "");
            problems = [.. problems, .. typed.Problems(context).Where(x => x.Field != "person.name")];
        }

        return await f.OpenAsync(p, command, fingerprint, problems, "decided", DecisionFormAsync);
    }

    private static async Task<IResult> DecisionFormAsync(
        PageRequest p, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> errors, string? idempotencyKey, int status) =>
        await PageHttp.RenderAsync<DecisionPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(DecisionPage.Frame)] = PageHttp.Frame(p.Http, "强制隔离戒毒决定"),
            [nameof(DecisionPage.Values)] = values,
            [nameof(DecisionPage.Errors)] = errors,
            [nameof(DecisionPage.Centres)] = CentrePages.Nearest(p.Get<OrganisationDirectory>(), OrganisationKind.Centre, p.By.Organisation.Region),
            [nameof(DecisionPage.IdempotencyKey)] = idempotencyKey is { Length: > 0 } k ? k : "page-" + Guid.NewGuid().ToString("N"),
        }, status);

    /// <summary>The 社区戒毒 order form's fields: the API's JSON names.</summary>
    private static readonly string[] OrderFields =
    [
        "person.name", "person.idNumber", "person.registeredRegion", "person.residenceRegion", "orderNumber", "decidedOn", "servedAt", "officeId", "policeStationId",
    ];

    public static Task<IResult> OrderFormAsync(PageRequest p) =>
        RefuseAllButDecidingOrgans(p) ?? OrderFormAsync(p, new Dictionary<string, string>(), new Dictionary<string, string>(), null, StatusCodes.Status200OK);

    /// <summary>A 社区戒毒 order from the form: every field at fault at once (the API's and the core's rules), else the file is opened.</summary>
    public static async Task<IResult> OrderAsync(PageRequest p)
    {
        _ = p.ReceivedAt; // stamped before the form is read
        if (RefuseAllButDecidingOrgans(p) is { } refused)
        {
            return await refused;
        }

        var f = await OpeningForm.ReadAsync(p, OrderFields);
        var body = new CommunityOrderRequest(f.Person, f.Optional("orderNumber"), f.Optional("decidedOn"), f.ServedAt, f.Optional("officeId"), f.Optional("policeStationId"));
        var (command, fingerprint, problems) = CommandRequests.CommunityOrderChecked(
            body, p.By, f.Key, p.ReceivedAt, p.Get<RegionCatalog>(), p.Get<Storage.Protection.IdNumberProtector>());
        if (command is not null)
        {
            problems = command.Problems(p.Get<Storage.Cases.WorkflowEnvironment>().Context(p.ReceivedAt));
        }

        return await f.OpenAsync(p, command, fingerprint, problems, "ordered", OrderFormAsync);
    }

    private static async Task<IResult> OrderFormAsync(
        PageRequest p, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> errors, string? idempotencyKey, int status) =>
        await PageHttp.RenderAsync<CommunityOrderPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(CommunityOrderPage.Frame)] = PageHttp.Frame(p.Http, "责令社区戒毒决定"),
            [nameof(CommunityOrderPage.Values)] = values,
            [nameof(CommunityOrderPage.Errors)] = errors,
            [nameof(CommunityOrderPage.Offices)] = CentrePages.Nearest(p.Get<OrganisationDirectory>(), OrganisationKind.CommunityOffice, p.By.Organisation.Region),
            [nameof(CommunityOrderPage.Stations)] = CentrePages.Nearest(p.Get<OrganisationDirectory>(), OrganisationKind.PoliceStation, p.By.Organisation.Region),
            [nameof(CommunityOrderPage.IdempotencyKey)] = idempotencyKey is { Length: > 0 } k ? k : "page-" + Guid.NewGuid().ToString("N"),
        }, status);

    /// <summary>
    /// A form that opens a person's file (a decision, a 社区戒毒 order), read: each field's value under the API's name, the instant it was
    /// served, and an error already found in it.
    /// </summary>
    private sealed record OpeningForm(IFormCollection Form, string[] Fields, Dictionary<string, string> Values, Dictionary<string, string> Errors, DateTimeOffset? ServedAt)
    {
        public static async Task<OpeningForm> ReadAsync(PageRequest p, string[] fields)
        {
            var form = await p.Http.Request.ReadFormAsync(p.Aborted);
            var values = fields.ToDictionary(f => f, f => form[f].ToString().Trim());
            var errors = new Dictionary<string, string>();
            DateTimeOffset? servedAt = null;
            if (values["servedAt"].Length > 0)
            {
                var (at, bad) = PageWhen.Read(form, "servedAt");
                servedAt = at;
                if (bad is not null || at is null)
                {
                    errors["servedAt"] = Zh.Problem("invalid-date", null);
                }
            }

            return new OpeningForm(form, fields, values, errors, servedAt);
        }

        public string? Optional(string name) => Values[name] is { Length: > 0 } v ? v : null;

        public PersonRequest Person =>
            new(Optional("person.name"), Optional("person.idNumber"), Optional("person.registeredRegion"), Optional("person.residenceRegion"));

        public string? Key => PageCommands.Key(Form["idempotencyKey"]);

        /// <summary>
        /// Every problem beside its field at once, else the file opened; a refusal from the command path shown on the form again (the
        /// person's open file beside the identity number). <paramref name="done"/> is the outcome code of success.
        /// </summary>
        public async Task<IResult> OpenAsync(
            PageRequest p, OpenCase? command, string fingerprint, IEnumerable<Core.Workflow.Rejection> problems, string done,
            Func<PageRequest, IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>, string?, int, Task<IResult>> redraw)
        {
            foreach (var problem in problems)
            {
                Errors.TryAdd(problem.Field is { } f && Fields.Contains(f) ? f : "_", Zh.Problem(problem.Code, problem.Detail));
            }

            if (Errors.Count > 0)
            {
                return await redraw(p, Values, Errors, Form["idempotencyKey"], StatusCodes.Status400BadRequest);
            }

            var outcome = await PageCommands.RegisterAsync(p, command!, fingerprint, Form["idempotencyKey"]);
            if (outcome.Pending)
            {
                return new SeeOther("/police?msg=pending");
            }

            if (outcome.Succeeded)
            {
                return new SeeOther(outcome.Record is { } record ? $"/cases/{record.State.CaseId}?msg={done}" : $"/police?msg={done}");
            }

            var field = outcome.Field is { } of && Fields.Contains(of) ? of : outcome.Code is "open-case-exists" or "own-open-case" ? "person.idNumber" : "_";
            Errors[field] = Zh.Problem(outcome.Code, outcome.Detail);
            return await redraw(p, Values, Errors, null, StatusCodes.Status400BadRequest);
        }
    }

    private static Task<IResult>? RefuseAllButDecidingOrgans(PageRequest p) => p.By.Organisation.Kind == OrganisationKind.DecisionAuthority ? null
        : PageHttp.ErrorAsync(p.Http, StatusCodes.Status403Forbidden, "无权访问", "这一页只供作出强制隔离戒毒决定的公安机关使用。");

    public static async Task<IResult> WorkListAsync(PageRequest p)
    {
        var me = p.By.Organisation;
        var station = me.Kind == OrganisationKind.PoliceStation;
        if (me.Kind is not (OrganisationKind.PoliceStation or OrganisationKind.DecisionAuthority))
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status403Forbidden, "无权访问", "这一页只供派出所和作出决定的公安机关使用。");
        }

        var all = (await p.Get<CaseIndexStore>().OpenCasesAsync(me, cancellationToken: p.Aborted)).Where(c => c.PoliceStationId == me.Id || c.DecisionAuthorityId == me.Id).ToList();
        var mine = all.Where(c => c.State is not ("cancelled" or "agreementSigned" or "completed" or "ended" or "suspended")).ToList();
        // The community period (社区戒毒, 社区康复): the people under it, and the refusals and violations the police were told of (戒毒条例 21).
        var community = all.Where(c => c.Community is { EndReason: null }).OrderBy(c => c.PersonName, StringComparer.Ordinal).ToList();
        var violations = all.Where(c => c.Community is { Grounds.Count: > 0, EndReason: null }).ToList();
        var decided = station ? new List<CaseSummary>() : mine.Where(c => c.DecisionAuthorityId == me.Id).ToList();
        // Whom to look for, whatever the state (失联 and a change of place not reported happen while the period is under way).
        var toFind = all.Where(c => c.State is not ("cancelled" or "completed" or "ended") && OfficePages.IsMissing(c)).ToList();
        var coming = mine.Where(c => c.State is "scheduled" or "acknowledged").OrderBy(c => c.ReleaseDate).ToList();
        var released = mine.Where(c => c.State == "released" && !toFind.Contains(c)).OrderBy(c => c.NextDueAt).ToList();
        return await PageHttp.RenderAsync<PolicePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(PolicePage.Frame)] = PageHttp.Frame(p.Http, station ? "本辖区人员" : "本机关决定的人员")
                .Beside(station ? toFind.Select(c => (c.CaseId, "found"))
                    : decided.SelectMany(c => new[] { (c.CaseId, "decision-notices"), (c.CaseId, "term-decision") }).Concat(all.Select(c => (c.CaseId, "end-notice")))),
            [nameof(PolicePage.Station)] = station,
            [nameof(PolicePage.ToFind)] = toFind,
            [nameof(PolicePage.Coming)] = coming,
            [nameof(PolicePage.Released)] = released,
            // The deciding organ's own steps before the release: deliveries owed (and refused), notices owed, term proposals to decide.
            [nameof(PolicePage.Delivering)] = decided.Where(c => c.State == "decided").OrderBy(c => c.NextDueAt ?? DateTimeOffset.MaxValue).ToList(),
            [nameof(PolicePage.ToNotify)] = decided.Where(c => c.Deadlines.Any(d => d.Step is DeadlineStep.DecisionNotices or DeadlineStep.TermNotices && d.CompletedAt is null
                && d.Status is DeadlineStatus.Open or DeadlineStatus.Missed)).ToList(),
            [nameof(PolicePage.ToDecide)] = decided.Where(c => c.Commitment?.Proposal is not null).OrderBy(c => c.Commitment!.Proposal!.ProposedAt).ToList(),
            [nameof(PolicePage.Serving)] = decided.Where(c => c.State is "inCentre" or "transferring").OrderBy(c => c.ReleaseDate).ToList(),
            [nameof(PolicePage.Community)] = community,
            [nameof(PolicePage.Violations)] = violations,
            // The deciding organ's steps of the period: orders whose person has not reported, 解除 notices due (戒毒条例 14, 23, 40).
            [nameof(PolicePage.OrdersNotReported)] = decided.Where(c => c.Community is { OrderNumber: not null, StartedOn: null, EndReason: null }).OrderBy(c => c.NextDueAt ?? DateTimeOffset.MaxValue).ToList(),
            [nameof(PolicePage.EndNoticesDue)] = station ? [] : all.Where(c => c.DecisionAuthorityId == me.Id
                && c.Deadlines.Any(d => d.Step == DeadlineStep.EndNotice && d.CompletedAt is null && d.Status is DeadlineStatus.Open or DeadlineStatus.Missed)).ToList(),
            [nameof(PolicePage.Directory)] = p.Get<OrganisationDirectory>(),
            [nameof(PolicePage.Now)] = p.Get<WorkflowTime>().GetUtcNow(),
        });
    }
}
