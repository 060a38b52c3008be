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
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<RegisterReleaseRequest>(r);
        if (unreadable is not null)
        {
            return unreadable;
        }

        var (command, fingerprint, problem) = CommandRequests.Registration(
            body, r.By, r.Header(CaseCommands.IdempotencyHeader), HandoffHttp.ReceivedAt(r), r.Get<RegionCatalog>(), r.Get<IdNumberProtector>());
        return problem is not null ? Problems.From(problem) : await r.Get<CaseCommands>().RegisterAsync(r, command!, fingerprint);
    }

    public static async Task<IResult> GetAsync(HandoffRequest r)
    {
        var commands = r.Get<CaseCommands>();
        var record = await commands.ReadableAsync(r.By.Organisation, r.Id, r.Aborted);
        return record is null ? Problems.NotFound("case") : TypedResults.Ok(await commands.ViewAsync(record.State, r.Aborted));
    }

    /// <summary>What became of a command the API answered 202 for: the case once applied, the problem if refused, 202 while pending.</summary>
    public static async Task<IResult> CommandAsync(HandoffRequest r)
    {
        var commandId = r.Http.Request.RouteValues["commandId"]?.ToString() ?? "";
        return await r.Get<CaseCommands>().OutcomeAsync(r, commandId);
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

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

}
