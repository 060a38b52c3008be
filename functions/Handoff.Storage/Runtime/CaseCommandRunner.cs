using System.Security.Cryptography;
using System.Text;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace Handoff.Storage.Runtime;

/// <summary>
/// Runs a command against a stored case: read, decide, then — only if there are events — send the case's next wake-up and commit
/// everything in one transaction conditional on the ETag. The wake-up goes first so that a crash after the commit still leaves a
/// message that will deliver the outbox and move the index; a wake-up whose commit never lands is an orphan and is dropped.
/// Three storage requests per accepted command: one read, one queue send, one transaction.
/// </summary>
public sealed class CaseCommandRunner(
    CaseStore store,
    PersonRegistry persons,
    WakeUpQueue wakeUps,
    WorkflowEnvironment environment,
    RuntimeOptions options,
    ILogger<CaseCommandRunner> logger)
{
    /// <summary>Runs <paramref name="command"/> on case <paramref name="caseId"/>.</summary>
    /// <param name="idempotencyKey">The caller's <c>Idempotency-Key</c>, if any: a repeat returns the case and changes nothing.</param>
    /// <param name="requestFingerprint">What the request said (e.g. its JSON); the same key with another request is refused.</param>
    /// <param name="visibleTo">If given, a case this organisation may not see is reported as not found (its existence is confidential).</param>
    public async Task<CommandOutcome> ExecuteAsync(
        string caseId, CaseCommand command, string? idempotencyKey = null, string? requestFingerprint = null,
        Organisation? visibleTo = null, CancellationToken cancellationToken = default)
    {
        var idempotency = Idempotency(command, idempotencyKey, requestFingerprint);
        for (var attempt = 1; ; attempt++)
        {
            var (record, seen) = await store.LoadAsync(caseId, idempotency?.RowKey, cancellationToken).ConfigureAwait(false);
            if (record is not null && visibleTo is not null && !CaseAccess.CanRead(visibleTo, record.State, environment.Directory))
            {
                return CommandOutcome.Rejected(null, new Rejection(RejectionKind.NotFound, "case-not-found", null, "No such case."));
            }

            if (seen is not null)
            {
                return Replay(record, seen, idempotency!, command);
            }

            var decision = CaseWorkflow.Decide(record?.State, command, environment.Context());
            if (decision.Rejection is { } rejection)
            {
                return CommandOutcome.Rejected(record?.State, rejection);
            }

            if (decision.Events.Count == 0)
            {
                return new CommandOutcome(record?.State, null);
            }

            if (record is null && command is RegisterRelease register)
            {
                var claim = await persons.ClaimAsync(register.Person.IdNumberLookup, caseId, cancellationToken).ConfigureAwait(false);
                if (claim is not null)
                {
                    return CommandOutcome.Rejected(null, claim);
                }
            }

            if (await CommitAsync(record, decision, idempotency, command, cancellationToken).ConfigureAwait(false))
            {
                return new CommandOutcome(decision.State, null, Created: record is null);
            }

            if (attempt >= options.MaxCommandAttempts)
            {
                throw new ConcurrencyExhaustedException(caseId, attempt);
            }

            Log.ConcurrencyRetry(logger, caseId, attempt);

            // Jittered back-off, so that writers racing for one case do not collide again in lockstep.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> CommitAsync(
        CaseRecord? record, Decision decision, IdempotencyRecord? idempotency, CaseCommand command, CancellationToken cancellationToken)
    {
        var state = decision.State!;
        var version = (record?.Version ?? 0) + 1;
        var token = Guid.NewGuid().ToString("N");
        await wakeUps.SendAsync(new WakeUpMessage(state.CaseId, token, version), options.DispatchDelay, cancellationToken).ConfigureAwait(false);

        var next = new CaseRecord(
            state, version, [.. record?.Outbox ?? [], .. decision.Notices], token, record?.IndexedVersion ?? 0, default);
        var result = await store.CommitAsync(record, next, decision.Events, idempotency is null ? null : idempotency with { Version = version }, cancellationToken)
            .ConfigureAwait(false);
        if (!result.Committed)
        {
            return false;
        }

        Log.Committed(logger, state.CaseId, version, decision.Events.Count, decision.Notices.Count, command.GetType().Name);
        foreach (var set in decision.Events.OfType<DeadlineSet>().Where(e => !e.Deadline.CalendarConfirmed))
        {
            Log.CalendarUnconfirmed(logger, state.CaseId, set.Deadline.Step.ToString(), set.Deadline.LastDay);
        }

        return true;
    }

    private CommandOutcome Replay(CaseRecord? record, IdempotencyRecord seen, IdempotencyRecord asked, CaseCommand command)
    {
        if (seen.RequestHash != asked.RequestHash)
        {
            return CommandOutcome.Rejected(record?.State, new Rejection(RejectionKind.Invalid, "idempotency-key-reused", "Idempotency-Key",
                "was already used for a different request; use a new key for a new request"));
        }

        Log.Replayed(logger, record?.State.CaseId ?? "", command.GetType().Name);
        return new CommandOutcome(record?.State, null, Replayed: true);
    }

    private static IdempotencyRecord? Idempotency(CaseCommand command, string? key, string? fingerprint)
    {
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var rowKey = "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{command.By.OrganisationId}\n{key}")))[..40];
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{command.GetType().Name}\n{fingerprint}")));
        return new IdempotencyRecord(rowKey, hash, command.GetType().Name, 0);
    }
}
