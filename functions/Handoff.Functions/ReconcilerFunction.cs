using Handoff.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Handoff.Functions;

/// <summary>
/// The reconciler, every minute (the self-host's <c>ReconcilerLoop</c> here is a timer trigger; the host runs a timer trigger on one
/// instance at a time). A sweep is a full pass — every open case, not only the overdue ones — on the first sweep a worker process
/// runs and then whenever <see cref="ReconcilerOptions.FullPassInterval"/> (default 1 day) has passed since its last successful full
/// pass: the self-host's rule. The time of that pass is kept in this process only, so a restart or a move to another instance
/// costs one extra full pass, never a missed one.
/// </summary>
public sealed class ReconcilerFunction(CaseReconciler reconciler, ReconcilerOptions options, WorkflowTime time)
{
    /// <summary>Every minute, at second 0 (NCRONTAB, UTC).</summary>
    public const string Schedule = "0 */1 * * * *";

    private static readonly Lock Gate = new();
    private static DateTimeOffset _lastFullPass = DateTimeOffset.MinValue;

    [Function("Reconciler")]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        var now = time.Real.GetUtcNow();
        bool full;
        lock (Gate)
        {
            full = now - _lastFullPass >= options.FullPassInterval;
        }

        // A failure is the host's to log (the invocation fails); the next sweep runs at the next minute.
        await reconciler.SweepAsync(client, full, context.CancellationToken);
        if (full)
        {
            lock (Gate)
            {
                _lastFullPass = now;
            }
        }
    }
}
