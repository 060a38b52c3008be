using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Notices;
using Microsoft.Extensions.Logging;
using Handoff.Workflow;
using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>
/// What every command endpoint does once it has built its command:
/// <list type="number">
/// <item>read the case (and the command's record, for a repeated <c>Idempotency-Key</c>) — a case the caller may not see is a 404;</item>
/// <item>decide it once with the pure core against the case as last applied, so a refusal answers at once and nothing is sent;</item>
/// <item>check that the case's orchestration is live (an event raised to a missing or completed instance is dropped by the engine),
/// then raise the step — unless a retry of this very command raised it less than <see cref="ApiOptions.RaiseAgainAfter"/> ago;</item>
/// <item>wait, at most <see cref="ApiOptions.CommandWait"/>, for the orchestration to apply it and write its effects (notices, lists),
/// so the caller then reads it everywhere: the answer is the case, or the orchestration's own refusal (e.g. a race lost to another
/// office); otherwise <c>202 Accepted</c> with the command's URL. A step committed but not yet published by then is answered with
/// the case.</item>
/// </list>
/// </summary>
public sealed partial class CaseCommands(
    CaseStore store, CaseInstances instances, PersonReservations persons, NoticeDispatcher notices, WorkflowEnvironment environment, WorkflowTime time,
    ApiOptions options, ILogger<CaseCommands> logger)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public OrganisationDirectory Directory => environment.Directory;

    public async Task<IResult> RunAsync(HandoffRequest r, string caseId, CaseCommand command, object request)
    {
        var key = r.Header(IdempotencyHeader);
        if (key is { Length: > 200 })
        {
            return Problems.Invalid(IdempotencyHeader, "idempotency-key-too-long", "must be at most 200 characters");
        }

        if (!CaseIds.IsCaseId(caseId))
        {
            return Problems.NotFound("case");
        }

        var commandId = CommandId(r.By.Organisation.Id, key);
        var requestHash = Hash(command, Fingerprint(request));
        var (record, seen) = await store.LoadAsync(caseId, commandId, r.Aborted);
        if (record is null || !CaseAccess.CanRead(r.By.Organisation, record.State, Directory))
        {
            return Problems.NotFound("case");
        }

        if (seen is not null)
        {
            return seen.RequestHash != requestHash ? KeyReused() : await AnswerAsync(seen, record, created: false, r.Aborted);
        }

        var receivedAt = HandoffHttp.ReceivedAt(r);
        var decision = CaseWorkflow.Decide(record.State, command, environment.Context(record.LegalTime(receivedAt)));
        if (decision.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }

        if (decision.Events.Count == 0)
        {
            return TypedResults.Ok(await ViewAsync(record.State, r.Aborted));
        }

        if (await CaseInstances.LiveAsync(r.Client, caseId, r.Aborted) is null)
        {
            return record.State.IsClosed
                ? Problems.Problem(StatusCodes.Status409Conflict, "case-closed", null, "The case is closed; nothing more can be recorded on it.")
                : Problems.Problem(StatusCodes.Status503ServiceUnavailable, "case-unavailable", null,
                    "The case's workflow is being restored; nothing was recorded. Retry shortly with the same Idempotency-Key.");
        }

        await instances.RaiseOnceAsync(r.Client, caseId, new CaseStep(commandId, command, receivedAt, requestHash), options.RaiseAgainAfter, r.Aborted);
        return await WaitAsync(caseId, commandId, created: false, r.Aborted);
    }

    /// <summary>Registers a release: reserve the person, start the case's orchestration with the registration as its first step.</summary>
    public async Task<IResult> RegisterAsync(HandoffRequest r, RegisterRelease command, string? key, string fingerprint)
    {
        var commandId = CommandId(r.By.Organisation.Id, key);
        var requestHash = Hash(command, fingerprint);
        var (record, seen) = await store.LoadAsync(command.CaseId, commandId, r.Aborted);
        if (seen is not null)
        {
            return seen.RequestHash != requestHash ? KeyReused() : await AnswerAsync(seen, record, created: true, r.Aborted);
        }

        if (record is not null)
        {
            // Someone else's case under the same derived id cannot happen (the id derives from the caller and its key).
            return KeyReused();
        }

        var receivedAt = HandoffHttp.ReceivedAt(r);
        var decision = CaseWorkflow.Decide(null, command, environment.Context(receivedAt));
        if (decision.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }

        if (!await instances.RegisterAsync(r.Client, command, commandId, requestHash, receivedAt, r.Aborted))
        {
            await TellSupervisorsOfDuplicateAsync(command, receivedAt, r.Aborted);

            // Neither the other case's id nor its organisation is named: whether a person is under rehabilitation elsewhere is
            // confidential (戒毒条例 7②).
            return Problems.Problem(StatusCodes.Status409Conflict, "open-case-exists", "person.idNumber",
                "already has an open handoff; the existing record must be closed before a new one is registered");
        }

        return await WaitAsync(command.CaseId, commandId, created: true, r.Aborted);
    }

    /// <summary>
    /// The outcome of a command the API answered 202 for: pending until its effects are written (or a later step was applied since,
    /// which happens only after this one's activity ended).
    /// </summary>
    public async Task<IResult> OutcomeAsync(HandoffRequest r, string commandId)
    {
        var (record, seen) = await store.LoadAsync(r.Id, commandId, r.Aborted);
        if (seen is not null && !seen.Published && (record?.Version ?? 0) <= seen.Version)
        {
            seen = null;
        }

        if (seen is null)
        {
            return record is null || CaseAccess.CanRead(r.By.Organisation, record.State, Directory)
                ? TypedResults.Accepted($"/api/cases/{r.Id}/commands/{commandId}", new PendingCommand(r.Id, commandId, "pending"))
                : Problems.NotFound("command");
        }

        if (record is not null && !CaseAccess.CanRead(r.By.Organisation, record.State, Directory))
        {
            return Problems.NotFound("command");
        }

        return await AnswerAsync(seen, record, created: false, r.Aborted);
    }

    /// <summary>The case the caller asked for by route id, if it exists and the caller may see it.</summary>
    public async Task<CaseRecord?> ReadableAsync(HandoffRequest r)
    {
        if (!CaseIds.IsCaseId(r.Id))
        {
            return null;
        }

        var (record, _) = await store.LoadAsync(r.Id, cancellationToken: r.Aborted);
        return record is not null && CaseAccess.CanRead(r.By.Organisation, record.State, Directory) ? record : null;
    }

    public async Task<CaseView> ViewAsync(Case c, CancellationToken cancellationToken) =>
        CaseView.From(c, await store.HistoryAsync(c.CaseId, cancellationToken));

    public static string Fingerprint(object request) => JsonSerializer.Serialize(request, request.GetType(), CoreJson.Options);

    /// <summary>The two shapes <see cref="CommandId"/> issues: 32 hex digits, or <c>k</c> and 40 hex digits.</summary>
    public static bool IsCommandId(string text) =>
        (text.Length == 32 && text.All(char.IsAsciiHexDigitLower)) || (text.Length == 41 && text[0] == 'k' && text.AsSpan(1).ContainsAnyExcept(HexLower) is false);

    private async Task<IResult> WaitAsync(string caseId, string commandId, bool created, CancellationToken cancellationToken)
    {
        var deadline = time.Real.GetUtcNow() + options.CommandWait;
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var (record, seen) = await store.LoadAsync(caseId, commandId, cancellationToken);
            var last = time.Real.GetUtcNow() + pause > deadline;
            if (seen is not null && (seen.Published || last))
            {
                return await AnswerAsync(seen, record, created, cancellationToken);
            }

            if (last)
            {
                return TypedResults.Accepted($"/api/cases/{caseId}/commands/{commandId}", new PendingCommand(caseId, commandId, "pending"));
            }

            await Task.Delay(pause, time.Real, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(250).Ticks));
        }
    }

    /// <summary>
    /// The answer to a recorded step: its refusal, or the case. <paramref name="record"/> comes from the same read as the command
    /// record, and the two are written in one transaction, so it is at least the version the step produced.
    /// </summary>
    private async Task<IResult> AnswerAsync(CommandRecord seen, CaseRecord? record, bool created, CancellationToken cancellationToken)
    {
        if (seen.Rejection is { } rejection)
        {
            return Problems.From(rejection);
        }

        if (record is null)
        {
            return Problems.NotFound("case");
        }

        var view = await ViewAsync(record.State, cancellationToken);
        return created ? TypedResults.Created($"/api/cases/{view.CaseId}", view) : TypedResults.Ok(view);
    }

    private static readonly System.Buffers.SearchValues<char> HexLower = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// The refused registration reaches the supervisors who may see the open case (<see cref="NoticeComposer.DuplicateRegistration"/>).
    /// Best effort: the caller's answer is the same 409 whether or not the notice could be sent, and a failure is logged.
    /// </summary>
    private async Task TellSupervisorsOfDuplicateAsync(RegisterRelease command, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            if (await persons.HolderAsync(command.Person.IdNumberLookup, cancellationToken) is not { } holder
                || (await store.LoadAsync(holder, cancellationToken: cancellationToken)).Record is not { } existing)
            {
                return; // The other registration has not committed yet (or just closed): nothing to show a supervisor.
            }

            await notices.DispatchAsync(NoticeComposer.DuplicateRegistration(existing.State, command, receivedAt, Directory), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DuplicateNotSent(logger, ex, command.CaseId);
        }
    }

    [LoggerMessage(2103, LogLevel.Warning, "Registration {CaseId} was refused as a duplicate; the notice to the supervisors could not be sent")]
    private static partial void DuplicateNotSent(ILogger logger, Exception exception, string caseId);

    private static IResult KeyReused() =>
        Problems.Invalid(IdempotencyHeader, "idempotency-key-reused", "was already used for a different request; use a new key for a new request");

    /// <summary>With a key, stable for the caller and key (a repeat finds the first one's record); without, unique.</summary>
    private static string CommandId(string organisationId, string? key) => key is null
        ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))
        : "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{organisationId}\n{key}")))[..40];

    private static string Hash(CaseCommand command, string fingerprint) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{command.GetType().Name}\n{fingerprint}")));
}

/// <summary>A command accepted but not yet applied by the case's orchestration.</summary>
public sealed record PendingCommand(string CaseId, string CommandId, string Status);
