using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Workflow;
using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>
/// The HTTP side of the command path, in one place: a handler's command goes to the <see cref="CommandService"/> (which the pages call
/// too) and its outcome comes back as the API's answer — 200/201 with the case, the refusal as a problem, or 202 with the command's
/// URL.
/// </summary>
public sealed class CaseCommands(CommandService service, CaseStore store, WorkflowEnvironment environment)
{
    public const string IdempotencyHeader = CommandService.IdempotencyKeyField;

    public OrganisationDirectory Directory => environment.Directory;

    /// <summary>A command on the route's case (or <paramref name="caseId"/>), with the request it came from (for its fingerprint).</summary>
    public async Task<IResult> RunAsync(HandoffRequest r, string caseId, CaseCommand command, object request) =>
        await AnswerAsync(await service.SendAsync(Request(r, caseId, command, CommandRequests.Fingerprint(request)), r.Aborted), r.Aborted);

    public async Task<IResult> RegisterAsync(HandoffRequest r, OpenCase command, string fingerprint) =>
        await AnswerAsync(await service.RegisterAsync(Request(r, command.CaseId, command, fingerprint), r.Aborted), r.Aborted);

    /// <summary>What became of a command the API answered 202 for.</summary>
    /// <remarks>A registration's URL answers 200 with its case: the 201 belongs to the request that created it.</remarks>
    public async Task<IResult> OutcomeAsync(HandoffRequest r, string commandId)
    {
        var outcome = await service.OutcomeAsync(r.Client, r.By.Organisation, r.Id, commandId, r.Aborted);
        return await AnswerAsync(outcome is CommandOutcome.Applied applied ? applied with { Created = false } : outcome, r.Aborted, notFound: "command");
    }

    /// <summary>The case <paramref name="caseId"/>, if it exists and <paramref name="caller"/> may see it.</summary>
    public async Task<CaseRecord?> ReadableAsync(Organisation caller, string caseId, CancellationToken cancellationToken)
    {
        if (!CaseIds.IsCaseId(caseId))
        {
            return null;
        }

        var (record, _) = await store.LoadAsync(caseId, cancellationToken: cancellationToken);
        return record is not null && CaseAccess.CanRead(caller, record.State, Directory) ? record : null;
    }

    public async Task<CaseView> ViewAsync(Case c, CancellationToken cancellationToken) =>
        CaseView.From(c, await store.HistoryAsync(c.CaseId, cancellationToken));

    /// <summary>The API's answer to an outcome.</summary>
    public async Task<IResult> AnswerAsync(CommandOutcome outcome, CancellationToken cancellationToken, string notFound = "case")
    {
        switch (outcome)
        {
            case CommandOutcome.Applied applied:
                var view = applied.History is { } history ? CaseView.From(applied.Record.State, history) : await ViewAsync(applied.Record.State, cancellationToken);
                return applied.Created ? TypedResults.Created($"/api/cases/{view.CaseId}", view) : TypedResults.Ok(view);
            case CommandOutcome.Refused refused:
                return Problems.From(refused.Rejection);
            case CommandOutcome.Pending pending:
                return TypedResults.Accepted(pending.Location, new PendingCommand(pending.CaseId, pending.CommandId, "pending"));
            default:
                return Problems.NotFound(notFound);
        }
    }

    private static CommandRequest Request(HandoffRequest r, string caseId, CaseCommand command, string fingerprint) =>
        new(r.Client, r.By.Organisation, caseId, command, r.Header(IdempotencyHeader), fingerprint, HandoffHttp.ReceivedAt(r));
}

/// <summary>A command accepted but not yet applied by the case's orchestration.</summary>
public sealed record PendingCommand(string CaseId, string CommandId, string Status);
