using Handoff.Core.Cases;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Notices;
using Handoff.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace Handoff.Storage.Runtime;

/// <summary>
/// Handles one wake-up. Timers are hints and the case row is the truth: the case is re-read, and only the live message (the one
/// whose token the case names) acts — on whatever is due now — so early, late, duplicate and stale messages are harmless.
/// <list type="number">
/// <item>Decide a <see cref="Tick"/>; if it has events, commit them with their notices (conditional on the ETag).</item>
/// <item>If the outbox holds notices or the index is behind, deliver the notices, update the index, then clear the outbox.</item>
/// <item>Keep the same message as the case's timer, hidden until the next due instant (hopping ≤ 7 days at a time), or delete it.</item>
/// </list>
/// A crash between any two steps leaves the message to reappear after its lease and redo the remaining steps.
/// </summary>
public sealed class WakeUpProcessor(
    CaseStore store,
    NoticeDispatcher dispatcher,
    CaseIndexStore index,
    WorkflowEnvironment environment,
    RuntimeOptions options,
    ILogger<WakeUpProcessor> logger)
{
    /// <param name="messageAge">How long ago the message was first enqueued (real time), to tell an in-flight commit from an orphan.</param>
    public async Task<Disposition> ProcessAsync(WakeUpMessage message, TimeSpan messageAge, CancellationToken cancellationToken = default)
    {
        var (record, _) = await store.LoadAsync(message.CaseId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (record is null || record.TimerToken != message.Token)
        {
            var inFlight = (record?.Version ?? 0) < message.Version;
            if (inFlight && messageAge < options.OrphanAfter)
            {
                return new Disposition.Retry(options.DispatchDelay);
            }

            if (inFlight)
            {
                Log.OrphanWakeUp(logger, message.CaseId);
            }
            else
            {
                Log.StaleWakeUp(logger, message.CaseId, message.Token);
            }

            return Disposition.Done;
        }

        var decision = CaseWorkflow.Decide(record.State, new Tick(), environment.Context());
        if (decision.Events.Count > 0)
        {
            var next = record with
            {
                State = decision.State!,
                Version = record.Version + 1,
                Outbox = [.. record.Outbox, .. decision.Notices],
            };
            var result = await store.CommitAsync(record, next, decision.Events, null, cancellationToken).ConfigureAwait(false);
            if (!result.Committed)
            {
                // A command committed meanwhile: it sent its own wake-up, which now owns the case. Look again at once.
                return new Disposition.Retry(TimeSpan.Zero);
            }

            Log.WakeUpActed(logger, record.State.CaseId, decision.Events.Count, decision.Notices.Count);
            record = next with { ETag = result.ETag };
        }

        if (record.HasPendingWork)
        {
            await dispatcher.DispatchAsync(record.Outbox, cancellationToken).ConfigureAwait(false);
            await index.UpsertAsync(record.State, cancellationToken).ConfigureAwait(false);
            var cleared = await store.UpdateAsync(record with { Outbox = [], IndexedVersion = record.Version }, cancellationToken).ConfigureAwait(false);
            if (!cleared.Committed)
            {
                // A command committed while we delivered. Our index write may have landed after that command's worker wrote the newer
                // state: write the index again from the case as it now stands, then let the newer message finish the rest.
                var (latest, _) = await store.LoadAsync(message.CaseId, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (latest is not null)
                {
                    await index.UpsertAsync(latest.State, cancellationToken).ConfigureAwait(false);
                }

                return new Disposition.Retry(TimeSpan.Zero);
            }

            Log.Dispatched(logger, record.State.CaseId, record.Outbox.Count, record.Version);
        }

        var due = CaseWorkflow.NextDueAt(record.State);
        if (due is null)
        {
            return Disposition.Done;
        }

        Log.Rearmed(logger, record.State.CaseId, due.Value);
        return new Disposition.WakeAfter(due.Value - environment.Time.GetUtcNow());
    }
}
