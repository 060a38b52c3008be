using Handoff.Api.Endpoints;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Core.Workflow;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>The person's file (一人一档) and the forms that act on a case, each running the API's handler for that step.</summary>
public static class CasePages
{
    /// <summary>
    /// The case actions a page can send: the form's name → its command (mapped by the API's <see cref="CommandRequests"/> from the API's
    /// request body, built from the form's fields) and the outcome code shown on success.
    /// </summary>
    private static readonly Dictionary<string, (Func<PageRequest, IFormCollection, (CaseCommand? Command, object Request, Rejection? Problem)> Map, string Done)> Actions =
        new(StringComparer.Ordinal)
        {
            ["acknowledgement"] = ((p, _) => (CommandRequests.Acknowledgement(p.By.Actor), new { }, null), "acknowledged"),
            ["release"] = ((p, f) =>
            {
                var (at, bad) = PageWhen.Read(f, "releasedAt");
                var body = new RecordReleaseRequest(at, new CollectedByRequest(Text(f, "collectedBy.kind"), Text(f, "collectedBy.name")));
                var (command, problem) = CommandRequests.Release(body, p.By.Actor, p.ReceivedAt);
                return (command, body, bad ?? problem);
            }, "released"),
            ["report"] = ((p, f) =>
            {
                var (at, bad) = PageWhen.Read(f, "reportedAt");
                var body = new RecordReportRequest(at);
                return (CommandRequests.Report(body, p.By.Actor, p.ReceivedAt), body, bad);
            }, "reported"),
            ["agreement"] = ((p, f) =>
            {
                var (at, bad) = PageWhen.Read(f, "signedAt");
                var body = new RecordAgreementRequest(at);
                return (CommandRequests.Agreement(body, p.By.Actor, p.ReceivedAt), body, bad);
            }, "agreement"),
            ["postponement"] = ((p, f) =>
            {
                var body = new PostponeRequest(Text(f, "newReleaseDate"), Text(f, "reason"));
                var (command, problem) = CommandRequests.Postponement(body, p.By.Actor);
                return (command, body, problem);
            }, "postponed"),
            ["cancellation"] = ((p, f) =>
            {
                // Withdrawing a notice cannot be undone: the form asks for a ticked confirmation (the browser requires it; checked here too).
                var body = new CancelRequest(Text(f, "reason"));
                var unconfirmed = f["confirm"] == "yes" ? null : Rejection.Invalid("confirm", "confirm-required", "tick the confirmation to withdraw the notice");
                return (CommandRequests.Cancellation(body, p.By.Actor), body, unconfirmed);
            }, "cancelled"),
            ["found"] = ((p, f) =>
            {
                var (at, bad) = PageWhen.Read(f, "foundAt");
                var body = new PersonFoundRequest(at, Text(f, "note"));
                if (bad is not null)
                {
                    return (null, body, bad);
                }

                return (CommandRequests.Found(body, p.By.Actor, p.ReceivedAt), body, null);
            }, "found"),
        };

    /// <summary>
    /// The steps before the release, each sent as the API's body for it and mapped to its command by the API's own mapping
    /// (<see cref="ChainSteps.Command"/>): the form's field names are the body's. The outcome code shown on success is the step's name.
    /// </summary>
    private static readonly Dictionary<string, Func<PageRequest, IFormCollection, (object Body, Rejection? Problem)>> Steps = new(StringComparer.Ordinal)
    {
        ["intake"] = (_, f) => When(f, "intakeAt", at => new IntakeRequest(at)),
        ["intake-refusal"] = (_, f) => (new RefusalRequest(Text(f, "reason")), null),
        ["delivery"] = (_, f) => (new RedirectDeliveryRequest(Text(f, "centreId"), Text(f, "reason")), null),
        ["decision-notices"] = (_, f) => When(f, "notifiedAt", at => new NotifiedRequest(at)),
        ["transfer"] = (_, f) => When(f, "transferredAt", at => new TransferRequest(Text(f, "toCentreId"), at)),
        ["reception"] = (_, f) => When(f, "receivedAt", at => new ReceptionRequest(at, Text(f, "documents"), Text(f, "injuries"))),
        ["reception-refusal"] = (_, f) => (new RefusalRequest(Text(f, "reason")), null),
        ["family-notice"] = (_, f) => When(f, "notifiedAt", at => new NotifiedRequest(at)),
        ["escape"] = (_, f) => When(f, "escapedAt", at => new EscapeRequest(at)),
        ["return"] = (_, f) => When(f, "returnedAt", at => new ReturnRequest(at)),
        ["term-proposal"] = (_, f) => (new TermProposalRequest(Text(f, "kind"), Text(f, "newReleaseDate"), Text(f, "reason")), null),
        ["term-decision"] = (_, f) => When(f, "servedAt", at => new TermDecisionRequest(f["approved"] == "yes" ? true : f["approved"] == "no" ? false : null, at, Text(f, "reason"))),
        ["release-notice"] = (_, f) => (new ReleaseNoticeRequest(Text(f, "receivingOfficeId"), Text(f, "policeStationId"),
            int.TryParse(Text(f, "rehabilitationYears"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : null), null),
    };

    public static async Task<IResult> FileAsync(PageRequest p)
    {
        var commands = p.Get<CaseCommands>();
        var record = await commands.ReadableAsync(p.By.Organisation, p.Route("id"), p.Aborted);
        if (record is null)
        {
            // Another organisation's case answers as if it did not exist: its existence is confidential (戒毒条例 7).
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status404NotFound, "没有这宗案件", "没有这宗案件，或本单位无权查看。");
        }

        var view = await commands.ViewAsync(record.State, p.Aborted);
        return await PageHttp.RenderAsync<CaseFilePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(CaseFilePage.Frame)] = PageHttp.Frame(p.Http, $"一人一档：{view.Person.Name}").Beside(ChainActions.Steps.Select(step => (view.CaseId, step))),
            [nameof(CaseFilePage.Case)] = view,
            [nameof(CaseFilePage.Directory)] = p.Get<OrganisationDirectory>(),
            [nameof(CaseFilePage.Regions)] = p.Get<RegionCatalog>(),
            [nameof(CaseFilePage.Now)] = p.Get<WorkflowTime>().GetUtcNow(),
        });
    }

    public static async Task<IResult> ActionAsync(PageRequest p)
    {
        _ = p.ReceivedAt; // stamped before the form is read: the step's legal time is when the form arrived
        var form = await p.Http.Request.ReadFormAsync(p.Aborted);
        var back = PageCommands.LocalReturn(form["returnTo"], $"/cases/{p.Route("id")}");
        var name = p.Route("action");
        (Func<PageRequest, IFormCollection, (CaseCommand? Command, object Request, Rejection? Problem)> Map, string Done) action;
        if (Steps.TryGetValue(name, out var step))
        {
            action = ((page, f) =>
            {
                var (body, bad) = step(page, f);
                if (bad is not null)
                {
                    return (null, body, bad);
                }

                var (command, problem) = ChainSteps.Command(name, body, page.By.Actor, page.ReceivedAt);
                return (command, body, problem);
            }, name);
        }
        else if (!Actions.TryGetValue(name, out action))
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status404NotFound, "没有这个操作", "没有这个操作。");
        }

        var (command, request, problem) = action.Map(p, form);
        var outcome = problem is not null ? PageCommands.Outcome.Refused(problem) : await PageCommands.SendAsync(p, p.Route("id"), command!, request, form["idempotencyKey"]);
        return new SeeOther(outcome.Pending ? PageCommands.WithOutcome(back, "msg", "pending")
            : outcome.Succeeded ? PageCommands.WithOutcome(back, "msg", action.Done)
            : PageCommands.WithError(back, outcome.Code ?? "error", p.Route("id"), p.Route("action"), outcome.Field));
    }

    /// <summary>A body whose step happened at the form's moment (<see cref="PageWhen"/>), or the moment's problem.</summary>
    private static (object Body, Rejection? Problem) When(IFormCollection form, string field, Func<DateTimeOffset?, object> body)
    {
        var (at, bad) = PageWhen.Read(form, field);
        return (body(at), bad);
    }

    private static string? Text(IFormCollection form, string name) => form[name].ToString().Trim() is { Length: > 0 } v ? v : null;
}
