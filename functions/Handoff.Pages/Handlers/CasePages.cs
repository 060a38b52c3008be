using Handoff.Api.Endpoints;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>The person's file (一人一册) and the forms that act on a case, each running the API's handler for that step.</summary>
public static class CasePages
{
    /// <summary>The case actions a page can send: the form's name → the API handler and how its fields become the API's body.</summary>
    private static readonly Dictionary<string, (Func<HandoffRequest, Task<IResult>> Handler, Func<IFormCollection, object> Body, string Done)> Actions = new(StringComparer.Ordinal)
    {
        ["acknowledgement"] = (CasesEndpoints.AcknowledgeAsync, _ => new { }, "acknowledged"),
        ["release"] = (CasesEndpoints.ReleaseAsync, f => new RecordReleaseRequest(null, new CollectedByRequest(Text(f, "collectedBy.kind"), Text(f, "collectedBy.name"))), "released"),
        ["report"] = (CasesEndpoints.ReportAsync, _ => new RecordReportRequest(null), "reported"),
        ["agreement"] = (CasesEndpoints.AgreementAsync, _ => new RecordAgreementRequest(null), "agreement"),
        ["postponement"] = (CasesEndpoints.PostponeAsync, f => new PostponeRequest(Text(f, "newReleaseDate"), Text(f, "reason")), "postponed"),
        ["cancellation"] = (CasesEndpoints.CancelAsync, f => new CancelRequest(Text(f, "reason")), "cancelled"),
        ["found"] = (CasesEndpoints.FoundAsync, f => new PersonFoundRequest(null, Text(f, "note")), "found"),
    };

    public static async Task<IResult> FileAsync(PageRequest p)
    {
        var commands = p.Get<CaseCommands>();
        var request = new HandoffRequest(p.Http, p.Caller, p.Client);
        var record = await commands.ReadableAsync(request);
        if (record is null)
        {
            // Another organisation's case answers as if it did not exist: its existence is confidential (戒毒条例 7).
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status404NotFound, "没有这宗案件", "没有这宗案件，或本单位无权查看。");
        }

        var view = await commands.ViewAsync(record.State, p.Aborted);
        return await PageHttp.RenderAsync<CaseFilePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(CaseFilePage.Frame)] = PageHttp.Frame(p.Http, $"一人一册：{view.Person.Name}"),
            [nameof(CaseFilePage.Case)] = view,
            [nameof(CaseFilePage.Directory)] = p.Get<OrganisationDirectory>(),
            [nameof(CaseFilePage.Regions)] = p.Get<RegionCatalog>(),
            [nameof(CaseFilePage.Now)] = p.Get<WorkflowTime>().GetUtcNow(),
        });
    }

    public static async Task<IResult> ActionAsync(PageRequest p)
    {
        var form = await p.Http.Request.ReadFormAsync(p.Aborted);
        var back = ApiBridge.LocalReturn(form["returnTo"], $"/cases/{p.Route("id")}");
        if (!Actions.TryGetValue(p.Route("action"), out var action))
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status404NotFound, "没有这个操作", "没有这个操作。");
        }

        var outcome = await ApiBridge.RunAsync(p, action.Handler, action.Body(form), form["idempotencyKey"]);
        return new SeeOther(outcome.Pending ? ApiBridge.WithOutcome(back, "msg", "pending")
            : outcome.Succeeded ? ApiBridge.WithOutcome(back, "msg", action.Done)
            : ApiBridge.WithOutcome(back, "err", outcome.Code ?? "error"));
    }

    private static string? Text(IFormCollection form, string name) => form[name].ToString().Trim() is { Length: > 0 } v ? v : null;
}
