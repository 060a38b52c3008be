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
/// <item>its orchestration missing, failed, terminated or completed while the case is open → restarted under the same id from our own
/// record, at most <see cref="ReconcilerOptions.MaxRestores"/> times, each restore logged (1030) and counted;</item>
/// <item>its orchestration running but the due step not acted on (a lost timer message) → nudged with a tick whose command id derives
/// from the due instant, so repeated nudges apply once — and raised at most once per <see cref="ReconcilerOptions.Grace"/>.</item>
/// </list>
/// It also releases person reservations whose registration never started, and on the full pass purges the engine's history of
/// finished instances older than <see cref="ReconcilerOptions.PurgeAfter"/> (nothing else would: the engine never purges on its own).
/// </summary>
public sealed class CaseReconciler(
    CaseStore store,
    CaseIndexStore index,
    PersonReservations persons,
    CaseInstances instances,
    WorkflowTime time,
    ReconcilerOptions options,
    ReconcilerHealth health,
    ILogger<CaseReconciler> logger,
    HandoffTelemetry? telemetry = null)
{
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
            var ids = due.Select(d => d.CaseId).Distinct(StringComparer.Ordinal).ToList();
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
                    await CheckAsync(client, caseId, cutoff, result, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.CheckFailed(logger, ex, caseId);
                    error = ex.Message;
                }
            }

            await ReleaseAbandonedReservationsAsync(client, cancellationToken).ConfigureAwait(false);
            if (fullPass)
            {
                result.Purged = await PurgeFinishedAsync(client, cancellationToken).ConfigureAwait(false);
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
            Log.Swept(logger, fullPass ? "full" : "due", result.Checked, result.Restored, result.Nudged, result.Purged);
        }

        return result;
    }

    private static async Task<HashSet<string>> LiveInstanceIdsAsync(DurableTaskClient client, CancellationToken cancellationToken)
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

    private async Task CheckAsync(DurableTaskClient client, string caseId, DateTimeOffset cutoff, ReconcileResult result, CancellationToken cancellationToken)
    {
        result.Checked++;
        var (record, _) = await store.LoadAsync(caseId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (record is null || record.State.IsClosed)
        {
            return;
        }

        var instance = await client.GetInstanceAsync(caseId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (CaseInstances.IsLive(instance))
        {
            if (Core.Workflow.CaseWorkflow.NextDueAt(record.State) is { } dueAt && dueAt < cutoff)
            {
                // At most one nudge per due instant and grace, however many sweeps and processes see the case: an orchestration that is
                // merely behind would only find more repeats queued.
                var nudge = new CaseStep($"n{dueAt.UtcTicks}", new Tick(), time.GetUtcNow());
                if (await instances.RaiseOnceAsync(client, caseId, nudge, options.Grace, cancellationToken).ConfigureAwait(false))
                {
                    health.CountNudged();
                    result.Nudged++;
                    Log.Nudged(logger, caseId, dueAt);
                }
            }

            return;
        }

        var status = instance?.RuntimeStatus.ToString() ?? "missing";
        if (record.Restores >= options.MaxRestores)
        {
            health.CountAbandoned();
            Log.RestoreLimit(logger, caseId, status, record.Restores);
            return;
        }

        if (!await store.CountRestoreAsync(record, cancellationToken).ConfigureAwait(false))
        {
            return; // The case moved meanwhile: its orchestration is alive after all.
        }

        await instances.RestoreAsync(client, record with { Restores = record.Restores + 1 }, record.Restores + 1, cancellationToken).ConfigureAwait(false);
        health.CountRestored();
        telemetry?.Restored(status);
        result.Restored++;
        Log.Restored(logger, caseId, status, record.Restores + 1, options.MaxRestores);
    }

    /// <summary>
    /// Purges completed and terminated instances created more than <see cref="ReconcilerOptions.PurgeAfter"/> ago. The engine filters by
    /// creation time (Azure Storage keeps no completion index), so a case that ran longer than the retention loses its engine history on
    /// the first full pass after it closes; failed instances are kept for the operator. An open case whose instance this removed by
    /// mistake would be restored by the next check from our own record.
    /// </summary>
    private async Task<int> PurgeFinishedAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var filter = new PurgeInstancesFilter(
            CreatedFrom: null,
            CreatedTo: time.Real.GetUtcNow() - options.PurgeAfter,
            Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Terminated]);
        var purged = await client.PurgeAllInstancesAsync(filter, cancellation: cancellationToken).ConfigureAwait(false);
        return purged.PurgedInstanceCount;
    }

    private async Task ReleaseAbandonedReservationsAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        foreach (var pending in await persons.PendingAsync(time.Real.GetUtcNow() - options.ReservationTimeout, cancellationToken).ConfigureAwait(false))
        {
            var (record, _) = await store.LoadAsync(pending.CaseId, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (record is null && await CaseInstances.LiveAsync(client, pending.CaseId, cancellationToken).ConfigureAwait(false) is null)
            {
                await persons.ReleaseAsync(pending.Lookup, pending.CaseId, cancellationToken).ConfigureAwait(false);
                Log.ReservationReleased(logger, pending.CaseId);
            }

            await persons.ConfirmAsync(pending.RowKey, cancellationToken).ConfigureAwait(false);
        }
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

    /// <summary>Finished instances whose engine history the full pass purged.</summary>
    public int Purged { get; set; }
}
