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
    /// The case actions a page can send, by the API route's last segment: the form's fields → the API's body for that step (the field
    /// names are the body's), which the API's own mapping turns into the command (<see cref="CaseSteps.Command"/>), and the outcome code
    /// shown on success. A step at a moment of its own reads it from the form (<see cref="PageWhen"/>).
    /// </summary>
    private static readonly Dictionary<string, (Func<IFormCollection, (object Body, Rejection? Problem)> Body, string Done)> Steps = new(StringComparer.Ordinal)
    {
        ["acknowledgement"] = (_ => (new { }, null), "acknowledged"),
        ["release"] = (f => When(f, "releasedAt", at => new RecordReleaseRequest(at, new CollectedByRequest(Text(f, "collectedBy.kind"), Text(f, "collectedBy.name")))), "released"),
        ["report"] = (f => When(f, "reportedAt", at => new RecordReportRequest(at)), "reported"),
        ["agreement"] = (f => When(f, "signedAt", at => new RecordAgreementRequest(at)), "agreement"),
        ["postponement"] = (f => (new PostponeRequest(Text(f, "newReleaseDate"), Text(f, "reason")), null), "postponed"),
        // Withdrawing a notice cannot be undone: the form asks for a ticked confirmation (the browser requires it; checked here too).
        ["cancellation"] = (f => (new CancelRequest(Text(f, "reason")),
            f["confirm"] == "yes" ? null : Rejection.Invalid("confirm", "confirm-required", "tick the confirmation to withdraw the notice")), "cancelled"),
        ["found"] = (f => When(f, "foundAt", at => new PersonFoundRequest(at, Text(f, "note"))), "found"),
        ["intake"] = (f => When(f, "intakeAt", at => new IntakeRequest(at)), "intake"),
        ["intake-refusal"] = (f => (new RefusalRequest(Text(f, "reason")), null), "intake-refusal"),
        ["delivery"] = (f => (new RedirectDeliveryRequest(Text(f, "centreId"), Text(f, "reason")), null), "delivery"),
        ["decision-notices"] = (f => When(f, "notifiedAt", at => new NotifiedRequest(at)), "decision-notices"),
        ["transfer"] = (f => When(f, "transferredAt", at => new TransferRequest(Text(f, "toCentreId"), at)), "transfer"),
        ["reception"] = (f => When(f, "receivedAt", at => new ReceptionRequest(at, Text(f, "documents"), Text(f, "injuries"))), "reception"),
        ["reception-refusal"] = (f => (new RefusalRequest(Text(f, "reason")), null), "reception-refusal"),
        ["family-notice"] = (f => When(f, "notifiedAt", at => new NotifiedRequest(at)), "family-notice"),
        ["escape"] = (f => When(f, "escapedAt", at => new EscapeRequest(at)), "escape"),
        ["return"] = (f => When(f, "returnedAt", at => new ReturnRequest(at)), "return"),
        ["medical-leave"] = (f => When(f, "leftAt", at => new MedicalLeaveRequest(at, Text(f, "reason"))), "medical-leave"),
        ["medical-return"] = (f => When(f, "returnedAt", at => new ReturnRequest(at)), "medical-return"),
        ["term-proposal"] = (f => (new TermProposalRequest(Text(f, "kind"), Text(f, "newReleaseDate"), Text(f, "reason")), null), "term-proposal"),
        ["term-decision"] = (f => When(f, "servedAt", at => new TermDecisionRequest(f["approved"] == "yes" ? true : f["approved"] == "no" ? false : null, at, Text(f, "reason"))), "term-decision"),
        ["test"] = (f => When(f, "testedAt", at => new TestRequest(at, Text(f, "result"))), "test"),
        ["interview"] = (f => When(f, "interviewedAt", at => new InterviewRequest(at)), "interview"),
        ["absence"] = (f => (new AbsenceRequest(Text(f, "leftOn"), f["writtenReport"] == "yes" ? true : f["writtenReport"] == "no" ? false : null), null), "absence"),
        ["absence-end"] = (f => (new AbsenceEndRequest(Text(f, "returnedOn")), null), "absence-end"),
        ["violation-report"] = (f => When(f, "reportedAt", at => new ViolationReportRequest(at)), "violation-report"),
        ["place-change"] = (f => When(f, "sentAt", at => new PlaceChangeRequest(Text(f, "toOfficeId"), Text(f, "toPoliceStationId"), Text(f, "requestedOn"), at)), "place-change"),
        ["place-change-acknowledgement"] = (_ => (new { }, null), "place-change-acknowledgement"),
        ["suspension"] = (f => When(f, "suspendedAt", at => new SuspensionRequest(Text(f, "reason"), at)), "suspension"),
        ["resumption"] = (f => When(f, "resumedAt", at => new ResumptionRequest(at)), "resumption"),
        ["termination"] = (f => (new TerminationRequest(Text(f, "reason"), Text(f, "endedOn")), null), "termination"),
        ["end-materials"] = (f => When(f, "sentAt", at => new EndMaterialsRequest(at)), "end-materials"),
        ["end-notice"] = (f => When(f, "servedAt", at => new EndNoticeRequest(at, at)), "end-notice"),
        ["recommitment"] = (f => When(f, "servedAt", at => new RecommitmentRequest(Text(f, "decisionNumber"), Text(f, "decidedOn"), at, Text(f, "centreId"))), "recommitment"),
        ["community-change"] = (f => When(f, "servedAt", at => new CommunityChangeRequest(Text(f, "orderNumber"), at, Text(f, "officeId"), Text(f, "policeStationId"))), "community-change"),
        ["release-notice"] = (f => (new ReleaseNoticeRequest(Text(f, "receivingOfficeId"), Text(f, "policeStationId"),
            int.TryParse(Text(f, "rehabilitationYears"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y : null), null), "release-notice"),
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
            [nameof(CaseFilePage.Frame)] = PageHttp.Frame(p.Http, $"一人一档：{view.Person.Name}").Beside(ChainActions.Steps.Concat(CommunityActions.Steps).Select(step => (view.CaseId, step))) with { ErrorSection = "act" },
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
        if (!Steps.TryGetValue(name, out var step))
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status404NotFound, "没有这个操作", "没有这个操作。");
        }

        var (request, problem) = step.Body(form);
        CaseCommand? command = null;
        if (problem is null && CaseSteps.Command(name, request, p.By.Actor, p.ReceivedAt) is var (made, refused))
        {
            (command, problem) = (made, refused);
        }

        var outcome = problem is not null ? PageCommands.Outcome.Refused(problem) : await PageCommands.SendAsync(p, p.Route("id"), command!, request, form["idempotencyKey"]);
        return new SeeOther(outcome.Pending ? PageCommands.WithOutcome(back, "msg", "pending")
            : outcome.Succeeded ? PageCommands.WithOutcome(back, "msg", step.Done)
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
