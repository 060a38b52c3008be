using Handoff.Core.Cases;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Handoff.Workflow;

/// <summary>
/// The safety net under the engine. Each sweep reads, from the due index, only the open cases whose due instant passed more than
/// <see cref="ReconcilerOptions.Grace"/> ago (a healthy orchestration has acted on them long before), plus every open case once a
/// day — never one engine lookup per open case per sweep. For each:
/// <list type="bullet">
/// <item>its orchestration missing, failed, terminated or completed while the case is open → started again under the same id from our
/// own record (replacing the ended instance, whose history is not purged first; a failure's error is kept in the case's
/// <c>restore</c> row). Only a failure again at the same case version after a restore counts towards
/// <see cref="ReconcilerOptions.MaxRestores"/>: a lost or terminated orchestration, or a failure after the case moved on, says nothing
/// about the case and never abandons it;</item>
/// <item>its orchestration running but the due step not acted on (a lost timer message), or a command in its inbox for longer than the
/// grace → nudged with a tick whose command id derives from that instant, so repeated nudges apply once — and raised at most once per
/// <see cref="ReconcilerOptions.Grace"/>;</item>
/// <item>its orchestration running and still deaf after <see cref="ReconcilerOptions.StallAfter"/> of that (it waits on an activity whose
/// work the engine lost, and every signal buffers behind it) → terminated, and restored from our record by the next sweep. The cases
/// with a command waiting (answered 202) or nudged are noted in the index's <c>waiting</c> partition, which every sweep reads, so that
/// a command accepted long before its case's next deadline is looked at too.</item>
/// </list>
/// It also finishes registrations whose process died between writing them and starting their case (the <c>pending</c> notes), and on
/// the full pass clears the command rows of cases closed longer than <see cref="ReconcilerOptions.CommandRetention"/> and purges the
/// engine's history of finished instances older than <see cref="ReconcilerOptions.PurgeAfter"/>. The command path asks it to look at one
/// case at once (<see cref="CheckNowAsync"/>) when a command waits on an orchestration that is not running.
/// </summary>
public sealed class CaseReconciler(
    CaseStore store,
    CaseIndexStore index,
    PersonReservations persons,
    CaseInstances instances,
    Registrations registrations,
    WorkflowTime time,
    ReconcilerOptions options,
    ReconcilerHealth health,
    ILogger<CaseReconciler> logger,
    HandoffTelemetry? telemetry = null)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _nudged = new(StringComparer.Ordinal);

    /// <summary>
    /// The periodic sweep both hosts run: a full pass on this process's first sweep and whenever
    /// <see cref="ReconcilerOptions.FullPassInterval"/> has passed since its last completed one (a restart costs one extra full pass,
    /// never a missed one), the due cases only otherwise.
    /// </summary>
    public Task<ReconcileResult> SweepAsync(DurableTaskClient client, CancellationToken cancellationToken = default) =>
        SweepAsync(client, health.LastFullPassAt is not { } last || time.Real.GetUtcNow() - last >= options.FullPassInterval, cancellationToken);

    /// <summary>One sweep. <paramref name="fullPass"/>: check every open case, not only the overdue ones.</summary>
    public async Task<ReconcileResult> SweepAsync(DurableTaskClient client, bool fullPass, CancellationToken cancellationToken = default)
    {
        var result = new ReconcileResult();
        var startedAt = time.Real.GetUtcNow();
        var completed = false;
        string? error = null;
        try
        {
            var cutoff = time.Clock.ToWorkflow(time.Real.GetUtcNow() - options.Grace - time.Grace);
            var due = await index.DueBeforeAsync(cutoff, 500, cancellationToken).ConfigureAwait(false);
            var waiting = await index.WaitingAsync(500, cancellationToken).ConfigureAwait(false);
            var dueRows = due.ToLookup(d => d.CaseId, d => d.DueAt, StringComparer.Ordinal);
            var ids = dueRows.Select(g => g.Key).Concat(waiting.Keys).Distinct(StringComparer.Ordinal).ToList();
            if (fullPass)
            {
                // The running orchestrations in bulk (a page of up to 1,000 per request), so that an open case whose orchestration runs
                // costs nothing here; only the others are looked at one by one. The due ones above are checked regardless.
                var live = await LiveInstanceIdsAsync(client, cancellationToken).ConfigureAwait(false);
                result.Live = live.Count;
                var queued = new HashSet<string>(ids, StringComparer.Ordinal);
                await foreach (var id in index.OpenCaseIdsAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Open++;
                    if (!live.Contains(id) && queued.Add(id))
                    {
                        ids.Add(id);
                    }
                }
            }

            foreach (var caseId in ids)
            {
                try
                {
                    await CheckAsync(client, caseId, cutoff, waiting.TryGetValue(caseId, out var since) ? since : null, false, result, cancellationToken, [.. dueRows[caseId]])
                        .ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.CheckFailed(logger, ex, caseId);
                    error = ex.Message;
                }
            }

            await FinishPendingRegistrationsAsync(client, result, cancellationToken).ConfigureAwait(false);
            if (fullPass)
            {
                result.Purged = await PurgeFinishedAsync(client, cancellationToken).ConfigureAwait(false);
                result.Cleared = await ClearClosedCommandsAsync(cancellationToken).ConfigureAwait(false);
            }

            completed = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex.Message;
            throw;
        }
        finally
        {
            health.Swept(startedAt, fullPass && completed, error);
            Log.Swept(logger, fullPass ? "full" : "due", result.Checked, result.Restored, result.Nudged, result.Stalled, result.Purged, result.Cleared);
        }

        return result;
    }

    /// <summary>The ids of the orchestrations running (or pending, or suspended) in the client's task hub, a page of 1,000 a request.</summary>
    public static async Task<HashSet<string>> LiveInstanceIdsAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended],
            PageSize = 1000,
            FetchInputsAndOutputs = false,
        };
        var live = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            live.Add(instance.InstanceId);
        }

        return live;
    }

    /// <summary>
    /// Looks at one case now (the command path, for a command it answered 202): restores its orchestration if it is not running, and
    /// notes the case as waiting so that the sweeps watch it until its inbox is taken up.
    /// </summary>
    public async Task CheckNowAsync(DurableTaskClient client, string caseId, CancellationToken cancellationToken = default)
    {
        var result = new ReconcileResult();
        await CheckAsync(client, caseId, time.Clock.ToWorkflow(time.Real.GetUtcNow() - options.Grace - time.Grace), null, true, result, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="waitingSince">When the case was first noted as waiting (real time), if it is.</param>
    /// <param name="commandWaits">The command path asks: a command of the case was just answered 202.</param>
    /// <param name="dueRows">The instants of the case's due rows this sweep read: any but its current due instant is stale and goes.</param>
    private async Task CheckAsync(
        DurableTaskClient client, string caseId, DateTimeOffset cutoff, DateTimeOffset? waitingSince, bool commandWaits, ReconcileResult result,
        CancellationToken cancellationToken, IReadOnlyList<DateTimeOffset>? dueRows = null)
    {
        result.Checked++;
        var (record, open, _) = await store.LoadInboxAsync(caseId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var accepted = open.Where(r => r.Status == CommandStatus.Accepted).ToList();
        if (record is not null && dueRows is { Count: > 0 })
        {
            // Read before the case: a row at another instant than the case's due one was left by a publication the next one could not
            // know of, and would be read as overdue on every sweep.
            var current = record.State.IsClosed ? null : Core.Workflow.CaseWorkflow.NextDueAt(record.State);
            if (dueRows.Where(d => d != current).ToList() is { Count: > 0 } stale)
            {
                await index.ForgetDueAsync(record.State, stale, cancellationToken).ConfigureAwait(false);
                result.StaleDue += stale.Count;
            }
        }

        if (record is null || (record.State.IsClosed && accepted.Count == 0))
        {
            // No case yet (a registration on its way: its pending note is finished below), or a closed case with nothing waiting in its
            // inbox: no orchestration needed.
            if (waitingSince is not null)
            {
                await index.ClearWaitingAsync(caseId, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var now = time.Real.GetUtcNow();
        var instance = await client.GetInstanceAsync(caseId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (CaseInstances.IsLive(instance))
        {
            // What a healthy orchestration would have taken up by now: the due instant, a command received more than the grace ago.
            DateTimeOffset? overdue = !record.State.IsClosed && Core.Workflow.CaseWorkflow.NextDueAt(record.State) is { } dueAt && dueAt < cutoff ? dueAt : null;
            DateTimeOffset? late = accepted.Where(r => r.ReceivedAt < cutoff).Select(r => (DateTimeOffset?)r.ReceivedAt).Min();
            if ((overdue ?? late) is null)
            {
                if (commandWaits && accepted.Count > 0)
                {
                    await index.NoteWaitingAsync(caseId, now, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                else if (waitingSince is not null && accepted.Count == 0)
                {
                    await index.ClearWaitingAsync(caseId, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            var stuckFrom = overdue is { } o && late is { } l ? (o < l ? o : l) : (overdue ?? late)!.Value;
            if (!commandWaits && waitingSince is { } since && now - since >= options.StallAfter
                && instance!.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending
                && !await index.IsBlockedAsync(caseId, cancellationToken).ConfigureAwait(false))
            {
                // Nudged for the whole stall limit and deaf: it waits on work the engine lost, or it never started (the engine dropped a
                // restart's start message as a duplicate and the instance stayed Pending; a suspended one is left to its operator).
                // Terminated here, restarted from our record by the next sweep (a terminated orchestration never counts towards the
                // restore limit); the limit counts again from now.
                await client.TerminateInstanceAsync(caseId, $"Handoff reconciler: inbox not taken up since {since:O}; restarted from the case record", cancellationToken)
                    .ConfigureAwait(false);
                await index.NoteWaitingAsync(caseId, now, restart: true, cancellationToken).ConfigureAwait(false);
                health.CountStalled();
                result.Stalled++;
                Log.Stalled(logger, caseId, since, stuckFrom);
                return;
            }

            await NudgeAsync(client, caseId, stuckFrom, result, cancellationToken).ConfigureAwait(false);
            if (waitingSince is null)
            {
                await index.NoteWaitingAsync(caseId, now, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var status = instance?.RuntimeStatus.ToString() ?? "missing";
        var failed = instance?.RuntimeStatus == OrchestrationRuntimeStatus.Failed;
        string? failure = null;
        if (failed)
        {
            // Kept before the new execution replaces it (the engine's failure details come with the inputs and outputs under Functions;
            // DurableTask.AzureStorage self-hosted keeps them in the output).
            var lastRun = await client.GetInstanceAsync(caseId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            failure = lastRun?.FailureDetails is { } details ? $"{details.ErrorType}: {details.ErrorMessage}\n{details.StackTrace}"
                : lastRun?.SerializedOutput ?? "unknown";
        }

        var before = await store.RestoresAsync(caseId, cancellationToken).ConfigureAwait(false);
        var inARow = !failed ? 0 : before is not null && before.AtVersion == record.Version ? before.FailedInARow + 1 : 1;
        if (inARow > options.MaxRestores)
        {
            health.CountAbandoned();
            Log.RestoreLimit(logger, caseId, status, before!.FailedInARow);
            return;
        }

        var restores = (before?.Restores ?? 0) + 1;
        var next = new RestoreRecord(restores, inARow, record.Version, status, failure ?? before?.LastFailure, now) { ETag = before?.ETag ?? default };
        if (!await store.SaveRestoresAsync(caseId, next, cancellationToken).ConfigureAwait(false))
        {
            return; // Another reconciler restored it just now.
        }

        await instances.StartAsync(client, caseId, ApplyPendingActivity.Progress(record), restores, cancellationToken).ConfigureAwait(false);
        if (waitingSince is not null || (commandWaits && accepted.Count > 0))
        {
            await index.NoteWaitingAsync(caseId, now, restart: true, cancellationToken).ConfigureAwait(false); // its stall limit counts from the restart
        }

        health.CountRestored();
        telemetry?.Restored(status);
        result.Restored++;
        Log.Restored(logger, caseId, status, restores, inARow, options.MaxRestores);
    }

    /// <summary>
    /// Raises a tick for an instant the running orchestration has not acted on (a due instant whose timer message was lost, or a command
    /// waiting in its inbox), at most once per grace per instant in this process; its command id derives from the instant, so nudges from
    /// several processes apply once.
    /// </summary>
    private async Task NudgeAsync(DurableTaskClient client, string caseId, DateTimeOffset dueAt, ReconcileResult result, CancellationToken cancellationToken)
    {
        var key = $"{caseId}/{dueAt.UtcTicks}";
        var now = time.Real.GetUtcNow();
        if (_nudged.TryGetValue(key, out var last) && now - last < options.Grace)
        {
            return;
        }

        _nudged[key] = now;
        foreach (var (old, at) in _nudged)
        {
            if (now - at > options.Grace + options.Grace)
            {
                _nudged.TryRemove(old, out _);
            }
        }

        if (await instances.RaiseAsync(client, caseId, new CaseStep($"n{dueAt.UtcTicks}", new Tick(), time.GetUtcNow()), cancellationToken).ConfigureAwait(false))
        {
            health.CountNudged();
            result.Nudged++;
            Log.Nudged(logger, caseId, dueAt);
        }
    }

    /// <summary>
    /// Purges completed and terminated instances created more than <see cref="ReconcilerOptions.PurgeAfter"/> ago. The engine filters by
    /// creation time where the backend keeps no completion index (Azure Storage: <see cref="Engine.EngineBackend.FinishedBefore"/>), so a case that ran longer than the retention loses its engine history on
    /// the first full pass after it closes; failed instances are kept for the operator. An open case whose instance this removed by
    /// mistake would be restored by the next check from our own record.
    /// </summary>
    private async Task<int> PurgeFinishedAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var filter = instances.Backend.FinishedBefore(time.Real.GetUtcNow() - options.PurgeAfter);
        var purged = await client.PurgeAllInstancesAsync(filter, cancellation: cancellationToken).ConfigureAwait(false);
        return purged.PurgedInstanceCount;
    }

    /// <summary>
    /// Registrations noted as pending longer than <see cref="ReconcilerOptions.ReservationTimeout"/> ago: one that made its case (or was
    /// refused) is done; one in the case's inbox and still waiting is finished — the person reserved, the orchestration started — as its
    /// command path would have; one that never reached the inbox (its process died before) is dropped, its caller having had no answer.
    /// </summary>
    private async Task FinishPendingRegistrationsAsync(DurableTaskClient client, ReconcileResult result, CancellationToken cancellationToken)
    {
        foreach (var pending in await persons.PendingAsync(time.Real.GetUtcNow() - options.ReservationTimeout, cancellationToken).ConfigureAwait(false))
        {
            var (record, row) = await store.LoadAsync(pending.CaseId, pending.CommandId, cancellationToken).ConfigureAwait(false);
            if (record is null && row is { Status: CommandStatus.Accepted, Payload: OpenCase register })
            {
                if (await registrations.ProceedAsync(client, pending.CaseId, row, register, cancellationToken).ConfigureAwait(false) is null)
                {
                    result.Restored++;
                    Log.RegistrationRestored(logger, pending.CaseId);
                    continue; // its activity removes the note once the registration is decided
                }
            }
            else if (record is null && row is null && pending.CommandId is null
                && await CaseInstances.LiveAsync(client, pending.CaseId, cancellationToken).ConfigureAwait(false) is null)
            {
                // A reservation of an earlier build whose registration never started.
                await persons.ReleaseAsync(pending.Lookup, pending.CaseId, cancellationToken).ConfigureAwait(false);
                Log.ReservationReleased(logger, pending.CaseId);
            }
            else if (record is null && row is { Status: CommandStatus.Refused })
            {
                await persons.ReleaseAsync(pending.Lookup, pending.CaseId, cancellationToken).ConfigureAwait(false);
            }

            await persons.ConfirmAsync(pending.RowKey, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Clears the command rows of cases closed more than <see cref="ReconcilerOptions.CommandRetention"/> ago (real time).</summary>
    private async Task<int> ClearClosedCommandsAsync(CancellationToken cancellationToken)
    {
        // Closed before this workflow instant (a development clock runs fast: a real-time retention maps to no workflow time before its
        // anchor).
        var cutoff = time.Real.GetUtcNow() - options.CommandRetention;
        var before = cutoff <= time.Clock.RealAnchor ? time.Clock.WorkflowAnchor : time.Clock.ToWorkflow(cutoff);
        var cleared = 0;
        foreach (var (partition, key, caseId) in await index.ClosedBeforeAsync(before, 500, cancellationToken).ConfigureAwait(false))
        {
            cleared += await store.ClearCommandsAsync(caseId, cancellationToken).ConfigureAwait(false);
            await index.ForgetClosedAsync(partition, key, cancellationToken).ConfigureAwait(false);
        }

        return cleared;
    }
}

/// <summary>What one sweep did.</summary>
public sealed class ReconcileResult
{
    /// <summary>Cases looked at one by one (their record and their instance).</summary>
    public int Checked { get; set; }

    /// <summary>Open cases the full pass found in the index (0 on a due sweep).</summary>
    public int Open { get; set; }

    /// <summary>Orchestrations the full pass found running in the engine's bulk listing.</summary>
    public int Live { get; set; }

    public int Restored { get; set; }

    public int Nudged { get; set; }

    /// <summary>Running orchestrations terminated for leaving their inbox untaken past the stall limit (restored by the next sweep).</summary>
    public int Stalled { get; set; }

    /// <summary>Due rows removed because they were not the case's due instant (left by publications out of order).</summary>
    public int StaleDue { get; set; }

    /// <summary>Finished instances whose engine history the full pass purged.</summary>
    public int Purged { get; set; }

    /// <summary>Command rows of long-closed cases the full pass cleared.</summary>
    public int Cleared { get; set; }
}
