using Handoff.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Handoff.Functions;

/// <summary>
/// The reconciler, every minute (the self-host's <c>ReconcilerLoop</c> here is a timer trigger; the host runs a timer trigger on one
/// instance at a time). Whether a sweep is a full pass is the reconciler's own rule (<see cref="CaseReconciler.SweepAsync(DurableTaskClient, CancellationToken)"/>),
/// kept per process, so a restart or a move to another instance costs one extra full pass, never a missed one.
/// </summary>
public sealed class ReconcilerFunction(CaseReconciler reconciler, Handoff.Storage.Notices.Channels.ChannelHandler channels)
{
    /// <summary>Every minute, at second 0 (NCRONTAB, UTC).</summary>
    public const string Schedule = "0 */1 * * * *";

    /// <remarks>
    /// A failure is the host's to log (the invocation fails); the next sweep runs at the next minute. The same timer wakes channels
    /// with notices waiting and no wake-up coming, every <c>Handoff:Delivery:SweepInterval</c> (<see cref="Handoff.Storage.Notices.Channels.ChannelHandler.SweepIfDueAsync"/>).
    /// </remarks>
    [Function("Reconciler")]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        await reconciler.SweepAsync(client, context.CancellationToken);
        await channels.SweepIfDueAsync(context.CancellationToken);
    }
}
