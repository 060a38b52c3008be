using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Handoff.Workflow;

/// <summary>
/// The one command path, for the API's endpoints and the pages alike:
/// <list type="number">
/// <item>read the case and this command's row (one query): a case the caller may not see is not found; a repeat of an
/// <c>Idempotency-Key</c> follows the first attempt (another request under the same key is refused);</item>
/// <item>decide once at receipt against the case as last applied, only to refuse at once what the core refuses and to answer at once what
/// is already in effect — nothing is written for either;</item>
/// <item>write the command into the case's inbox, stamped with the instant it was received (an insert: a retry keeps the first
/// instant); a registration is its own case's first row, noted as pending beforehand so that the reconciler finishes one whose process
/// died on the way;</item>
/// <item>signal the case's orchestration (a registration: reserve the person and start it) — a signal lost or refused loses nothing,
/// the row is the truth;</item>
/// <item>wait at most <see cref="CommandOptions.CommandWait"/> for the step to be applied and published — learnt in process when the
/// case's activity ran here, else by reading the row — and answer the case or the refusal; otherwise pending, with the command's URL,
/// after looking at the case's orchestration once and having it restored at once if it is not running.</item>
/// </list>
/// </summary>
public sealed partial class CommandService(
    CaseStore store,
    PersonReservations persons,
    Registrations registrations,
    CaseReconciler reconciler,
    CaseInstances instances,
    CommandSignals signals,
    WorkflowEnvironment environment,
    WorkflowTime time,
    CommandOptions options,
    ILogger<CommandService> logger)
{
    /// <summary>The header (and the field named in its refusals) that carries the caller's idempotency key.</summary>
    public const string IdempotencyKeyField = "Idempotency-Key";

    public const int MaxKeyLength = 200;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _checked = new(StringComparer.Ordinal);

    public OrganisationDirectory Directory => environment.Directory;

    /// <summary>A command on an existing case.</summary>
    public async Task<CommandOutcome> SendAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        if (KeyProblem(request.IdempotencyKey) is { } tooLong)
        {
            return tooLong;
        }

        if (!CaseIds.IsCaseId(request.CaseId))
        {
            return new CommandOutcome.NotFound("case");
        }

        var commandId = CommandIdOf(request);
        var hash = Hash(request.Command, request.Fingerprint);
        var (record, open, seen) = await store.LoadInboxAsync(request.CaseId, commandId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (record is null || !CaseAccess.CanRead(request.Caller, record.State, Directory))
        {
            return new CommandOutcome.NotFound("case");
        }

        if (seen is not null)
        {
            return seen.RequestHash != hash ? KeyReused() : await FollowAsync(request.Client, request.CaseId, seen, record, cancellationToken).ConfigureAwait(false);
        }

        // Steps received earlier and still waiting in the inbox change what this one meets: decided here against the case without them,
        // an agreement whose report waits would be refused not-reported. Then the case's activity decides it, after them, in the order
        // received — and the answer is its decision (or 202 while it waits).
        if (!open.Any(r => r.Status == CommandStatus.Accepted))
        {
            var (refusal, inEffect) = Precheck(record.State, request);
            if (refusal is not null)
            {
                return new CommandOutcome.Refused(refusal);
            }

            if (inEffect)
            {
                return new CommandOutcome.Applied(record, Created: false);
            }
        }

        if (record.State.IsClosed)
        {
            return new CommandOutcome.Refused(Rejection.Conflict("case-closed", "The case is closed; nothing more can be recorded on it."));
        }

        using var listener = signals.Listen(request.CaseId, commandId);
        var accepted = await store.AcceptAsync(request.CaseId, CommandRecord.Accepted(commandId, request.Command, request.ReceivedAt, hash), cancellationToken)
            .ConfigureAwait(false);
        if (accepted is null)
        {
            return await FollowFirstAsync(request, commandId, hash, cancellationToken).ConfigureAwait(false);
        }

        await SignalAsync(request.Client, request.CaseId, accepted, cancellationToken).ConfigureAwait(false);
        return await WaitAsync(request.Client, request.CaseId, commandId, listener, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A command that opens a person's file and creates its case (<see cref="OpenCase.CaseId"/>): a release registered at the
    /// centre, or the deciding organ's decision.</summary>
    public async Task<CommandOutcome> RegisterAsync(CommandRequest request, CancellationToken cancellationToken = default)
    {
        if (KeyProblem(request.IdempotencyKey) is { } tooLong)
        {
            return tooLong;
        }

        var register = (OpenCase)request.Command;
        var caseId = register.CaseId;
        var commandId = CommandIdOf(request);
        var hash = Hash(request.Command, request.Fingerprint);
        var (record, seen) = await store.LoadAsync(caseId, commandId, cancellationToken).ConfigureAwait(false);
        if (seen is not null)
        {
            return seen.RequestHash != hash ? KeyReused() : await FollowAsync(request.Client, caseId, seen, record, cancellationToken).ConfigureAwait(false);
        }

        if (record is not null)
        {
            return KeyReused(); // another registration under the same derived id: the id derives from the caller and its key, so it cannot happen
        }

        if (Precheck(null, request).Refusal is { } refusal)
        {
            return new CommandOutcome.Refused(refusal);
        }

        var pending = await persons.MarkPendingAsync(caseId, commandId, register.Person.IdNumberLookup, time.Real.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        using var listener = signals.Listen(caseId, commandId);
        var accepted = await store.AcceptAsync(caseId, CommandRecord.Accepted(commandId, register, request.ReceivedAt, hash, pending), cancellationToken).ConfigureAwait(false);
        if (accepted is null)
        {
            return await FollowFirstAsync(request, commandId, hash, cancellationToken).ConfigureAwait(false);
        }

        if (await registrations.ProceedAsync(request.Client, caseId, accepted, register, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return new CommandOutcome.Refused(refused, commandId);
        }

        return await WaitAsync(request.Client, caseId, commandId, listener, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What became of a command (its URL): the case once applied, its refusal, pending while it waits; not found if never sent.</summary>
    public async Task<CommandOutcome> OutcomeAsync(DurableTaskClient client, Organisation caller, string caseId, string commandId, CancellationToken cancellationToken = default)
    {
        if (!CaseIds.IsCaseId(caseId) || !CommandIds.IsCommandId(commandId))
        {
            return new CommandOutcome.NotFound("command");
        }

        var (record, seen) = await store.LoadAsync(caseId, commandId, cancellationToken).ConfigureAwait(false);
        var readable = record is null ? seen?.SentBy == caller.Id : CaseAccess.CanRead(caller, record.State, Directory);
        if (seen is null || !readable)
        {
            return new CommandOutcome.NotFound("command");
        }

        if (Outcome(seen, record) is { } outcome)
        {
            return outcome;
        }

        await NudgeAsync(client, caseId, seen, cancellationToken).ConfigureAwait(false);
        return new CommandOutcome.Pending(caseId, commandId);
    }

    /// <summary>
    /// The core's answer at receipt, when nothing received earlier waits in the inbox: a refusal, or already in effect; neither when the
    /// command goes into the inbox. A decision that throws here is not answered here: the case's activity decides it again and refuses it as <c>internal-error</c>, on the record.
    /// </summary>
    private (Rejection? Refusal, bool InEffect) Precheck(Case? current, CommandRequest request)
    {
        try
        {
            var decision = CaseWorkflow.Decide(current, request.Command, environment.Context(request.ReceivedAt));
            return (decision.Rejection, decision.Rejection is null && decision.Events.Count == 0 && current is not null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PrecheckFailed(logger, ex, request.CaseId, request.Command.GetType().Name);
            return (null, false);
        }
    }

    /// <summary>Another attempt with the same key wrote the row first (a concurrent retry): follow it.</summary>
    private async Task<CommandOutcome> FollowFirstAsync(CommandRequest request, string commandId, string hash, CancellationToken cancellationToken)
    {
        var (record, first) = await store.LoadAsync(request.CaseId, commandId, cancellationToken).ConfigureAwait(false);
        return first is null ? new CommandOutcome.Pending(request.CaseId, commandId)
            : first.RequestHash != hash ? KeyReused()
            : await FollowAsync(request.Client, request.CaseId, first, record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A command whose row exists (a retry): its outcome if decided, else — after signalling again if the first signal is old — wait.</summary>
    private async Task<CommandOutcome> FollowAsync(DurableTaskClient client, string caseId, CommandRecord row, CaseRecord? record, CancellationToken cancellationToken)
    {
        if (Outcome(row, record) is { } outcome)
        {
            return outcome;
        }

        using var listener = signals.Listen(caseId, row.CommandId);
        await NudgeAsync(client, caseId, row, cancellationToken).ConfigureAwait(false);
        return await WaitAsync(client, caseId, row.CommandId, listener, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A command still waiting, asked about again: signals its orchestration again once <see cref="CommandOptions.RaiseAgainAfter"/> has
    /// passed since it was received (a registration: reserves and starts again, which changes nothing if done).
    /// </summary>
    private async Task NudgeAsync(DurableTaskClient client, string caseId, CommandRecord row, CancellationToken cancellationToken)
    {
        if (row.Status != CommandStatus.Accepted || time.Real.GetUtcNow() - time.Clock.ToReal(row.ReceivedAt) < options.RaiseAgainAfter)
        {
            return;
        }

        if (row is { IsRegistration: true, Payload: OpenCase register })
        {
            await registrations.ProceedAsync(client, caseId, row, register, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await SignalAsync(client, caseId, row, cancellationToken).ConfigureAwait(false);
        }

        await CheckAsync(client, caseId, cancellationToken).ConfigureAwait(false);
    }

    private async Task SignalAsync(DurableTaskClient client, string caseId, CommandRecord row, CancellationToken cancellationToken)
    {
        if (row.Payload is null || !await instances.RaiseAsync(client, caseId, new CaseStep(row.CommandId, row.Payload, row.ReceivedAt, row.RequestHash), cancellationToken)
                .ConfigureAwait(false))
        {
            await CheckAsync(client, caseId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the step to be applied and published: heard in process at once, or read from its row (after 250 ms, then less and less
    /// often) — as published at first, and as decided once <see cref="HeardWithin"/> has passed without a word (the case's activity runs
    /// in another process, which does not mark its steps published for each one). Pending when the wait runs out, after a look at the
    /// case's orchestration.
    /// </summary>
    private async Task<CommandOutcome> WaitAsync(DurableTaskClient client, string caseId, string commandId, CommandSignals.Listener listener, CancellationToken cancellationToken)
    {
        var started = time.Real.GetUtcNow();
        var until = started + options.CommandWait;
        var pause = TimeSpan.FromMilliseconds(250);
        while (time.Real.GetUtcNow() < until)
        {
            var left = until - time.Real.GetUtcNow();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(left < pause ? left : pause, time.Real, stop.Token);
            if (await Task.WhenAny(listener.Heard, delay).ConfigureAwait(false) == listener.Heard)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                var heard = await listener.Heard.ConfigureAwait(false);
                return Outcome(heard.Row, heard.Record, heard.History) ?? new CommandOutcome.Pending(caseId, commandId);
            }

            var (record, row) = await store.LoadAsync(caseId, commandId, cancellationToken).ConfigureAwait(false);
            if (row is not null && Outcome(row, record, published: time.Real.GetUtcNow() - started < HeardWithin) is { } outcome)
            {
                return outcome;
            }

            pause += pause;
        }

        if (listener.Heard.IsCompletedSuccessfully)
        {
            var heard = listener.Heard.Result;
            return Outcome(heard.Row, heard.Record, heard.History) ?? new CommandOutcome.Pending(caseId, commandId);
        }

        await CheckAsync(client, caseId, cancellationToken).ConfigureAwait(false);
        return new CommandOutcome.Pending(caseId, commandId);
    }

    /// <summary>The outcome of a decided row (refused; or applied and published, or overtaken by a later step); null while it waits.</summary>
    /// <param name="published">Only once published (its notices and lists written too) — what the wait asks while the step may still be
    /// publishing; otherwise once decided (committed with its case).</param>
    private static CommandOutcome? Outcome(CommandRecord row, CaseRecord? record, IReadOnlyList<HistoryEntry>? history = null, bool published = false) => row.Status switch
    {
        CommandStatus.Refused => new CommandOutcome.Refused(row.Rejection ?? Rejection.Internal("Refused."), row.CommandId),
        CommandStatus.Applied when record is not null && (!published || row.Published || record.Version > row.Version) => new CommandOutcome.Applied(record, row.IsRegistration, history),
        _ => null,
    };

    /// <summary>
    /// Looks at the case's orchestration (at most once per <see cref="CommandOptions.CheckAgainAfter"/> per case in this process) and has
    /// the reconciler restore it at once if it is not running, instead of waiting for its sweep.
    /// </summary>
    private async Task CheckAsync(DurableTaskClient client, string caseId, CancellationToken cancellationToken)
    {
        var now = time.Real.GetUtcNow();
        if (_checked.TryGetValue(caseId, out var last) && now - last < options.CheckAgainAfter)
        {
            return;
        }

        _checked[caseId] = now;
        try
        {
            await reconciler.CheckNowAsync(client, caseId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The command is safe in the inbox; the reconciler's sweep looks again.
            CheckFailed(logger, ex, caseId);
        }
        finally
        {
            foreach (var (id, at) in _checked)
            {
                if (now - at > options.CheckAgainAfter)
                {
                    _checked.TryRemove(id, out _);
                }
            }
        }
    }

    /// <summary>
    /// How long the wait expects to hear in process of a step applied in this process (its activity publishes in tens of milliseconds);
    /// after that it answers from the row as soon as the step is decided.
    /// </summary>
    private static readonly TimeSpan HeardWithin = TimeSpan.FromSeconds(1);

    private static string CommandIdOf(CommandRequest request) =>
        request.IdempotencyKey is null ? CommandIds.New() : CommandIds.For(request.Caller.Id, request.IdempotencyKey);

    private static CommandOutcome? KeyProblem(string? key) => key is { Length: > MaxKeyLength }
        ? new CommandOutcome.Refused(Rejection.Invalid(IdempotencyKeyField, "idempotency-key-too-long", $"must be at most {MaxKeyLength} characters"))
        : null;

    private static CommandOutcome.Refused KeyReused() => new(Rejection.Invalid(IdempotencyKeyField, "idempotency-key-reused",
        "was already used for a different request; use a new key for a new request"));

    private static string Hash(CaseCommand command, string fingerprint) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{command.GetType().Name}\n{fingerprint}")));

    [LoggerMessage(2104, LogLevel.Warning, "Case {CaseId}: deciding {Command} at receipt threw; it is accepted, and the case's activity refuses it on the record")]
    private static partial void PrecheckFailed(ILogger logger, Exception exception, string caseId, string command);

    [LoggerMessage(2105, LogLevel.Warning, "Case {CaseId}: its orchestration could not be looked at; the reconciler's sweep will")]
    private static partial void CheckFailed(ILogger logger, Exception exception, string caseId);
}
