using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>Escalations as their recipients and supervisors see them, read from the region index.</summary>
public static class EscalationsEndpoints
{
    public sealed record EscalationView(string CaseId, string PersonName, string MaskedIdNumber, string CaseState, Escalation Escalation);

    public static async Task<IResult> ListAsync(HandoffRequest r)
    {
        EscalationStatus? wanted;
        switch (r.Query("status"))
        {
            case null or "": wanted = null; break;
            case "open": wanted = EscalationStatus.Open; break;
            case "resolved": wanted = EscalationStatus.Resolved; break;
            default: return Problems.Invalid("status", "invalid-status", "must be open or resolved");
        }

        if (!Paging.TryRead(r, out var take, out var continuation, out var problem))
        {
            return problem!;
        }

        // Open escalations live on open cases, so that list pages through the open partition only (overdue cases).
        var caller = r.By.Organisation;
        var page = await r.Get<CaseIndexStore>().QueryAsync(caller, null, wanted == EscalationStatus.Open ? true : null, continuation, take, r.Aborted);
        var views = page.Cases
            .SelectMany(c => c.Escalations.Select(e => new EscalationView(c.CaseId, c.PersonName, c.MaskedIdNumber, c.State, e)))
            .Where(v => wanted is null || v.Escalation.Status == wanted)
            .Where(v => caller.Kind == OrganisationKind.Supervisor || v.Escalation.Recipients.Any(x => x.OrganisationId == caller.Id))
            .OrderByDescending(v => v.Escalation.OpenedAt)
            .ToList();
        var next = wanted == EscalationStatus.Open && page.ContinuationToken == "c:" ? null : page.ContinuationToken;
        return TypedResults.Ok(new Page<EscalationView>(views, next));
    }

    public static Task<IResult> AcknowledgeAsync(HandoffRequest r)
    {
        var caseId = CaseIds.CaseOfEscalation(r.Id);
        return caseId is null
            ? Task.FromResult(Problems.NotFound("escalation"))
            : r.Get<CaseCommands>().RunAsync(r, caseId, CommandRequests.EscalationRead(r.By.Actor, r.Id), new { escalationId = r.Id });
    }
}
