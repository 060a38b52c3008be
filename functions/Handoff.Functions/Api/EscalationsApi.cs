using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Storage.Index;
using Handoff.Storage.Runtime;
using Microsoft.AspNetCore.Mvc;

namespace Handoff.Functions.Api;

/// <summary>Escalations as their recipients and supervisors see them, read from the region index.</summary>
public static class EscalationsApi
{
    public sealed record EscalationView(
        string CaseId, string PersonName, string MaskedIdNumber, string CaseState, Escalation Escalation);

    public static IEndpointRouteBuilder MapEscalationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/escalations").RequireAuthorization().WithTags("Escalations");
        api.MapGet("/", ListAsync).WithName("ListEscalations")
            .WithSummary("Escalations sent to the caller; for a supervisor, every escalation under its region prefix.");
        api.MapPost("/{id}/acknowledgement", AcknowledgeAsync).WithName("MarkEscalationRead")
            .WithSummary("A recipient marks an escalation notice read.");
        return app;
    }

    private static async Task<IResult> ListAsync(CaseCommands commands, CaseIndexStore index, HttpContext http, string? status, CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        EscalationStatus? wanted;
        switch (status)
        {
            case null: wanted = null; break;
            case "open": wanted = EscalationStatus.Open; break;
            case "resolved": wanted = EscalationStatus.Resolved; break;
            default: return Problems.Invalid("status", "invalid-status", "must be open or resolved");
        }

        var cases = await index.QueryAsync(caller.Organisation, null, null, cancellationToken);
        var views = cases
            .SelectMany(c => c.Escalations.Select(e => new EscalationView(c.CaseId, c.PersonName, c.MaskedIdNumber, c.State, e)))
            .Where(v => wanted is null || v.Escalation.Status == wanted)
            .Where(v => caller.Organisation.Kind == OrganisationKind.Supervisor
                        || v.Escalation.Recipients.Any(r => r.OrganisationId == caller.Organisation.Id))
            .OrderByDescending(v => v.Escalation.OpenedAt)
            .ToList();
        return TypedResults.Ok(views);
    }

    private static Task<IResult> AcknowledgeAsync(
        string id, CaseCommands commands, HttpContext http, [FromHeader(Name = CaseCommands.IdempotencyHeader)] string? key,
        CancellationToken cancellationToken)
    {
        var caller = commands.Caller(http);
        var caseId = CaseIds.CaseOfEscalation(id);
        return caseId is null
            ? Task.FromResult(Problems.NotFound("escalation"))
            : commands.RunAsync(caseId, caller, new MarkEscalationRead(caller.Actor, id), new { escalationId = id }, key, cancellationToken);
    }
}
