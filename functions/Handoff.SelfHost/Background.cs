using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Queues;
using Handoff.Workflow;
using Microsoft.DurableTask.Client;

namespace Handoff.SelfHost;

/// <summary>
/// The self-host's background work that the Function App gets from triggers: the reconciler (a timer trigger there, every minute)
/// and webhook deliveries (a queue trigger there).
/// </summary>
public sealed class ReconcilerLoop(
    CaseReconciler reconciler, DurableTaskClient client, ReconcilerOptions options, WorkflowTime time, ILogger<ReconcilerLoop> logger,
    Handoff.Storage.Notices.Channels.ChannelHandler channels)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, time.Real);
        do
        {
            try
            {
                await reconciler.SweepAsync(client, stoppingToken);
                await channels.SweepIfDueAsync(stoppingToken); // channels with notices waiting and no wake-up coming
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Reconciler sweep failed; the next one runs in {Interval}", options.Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// Sends group-robot and e-mail notices on a channel's wake-ups from <c>handoff-channels</c> (the Function App's <c>Channels</c> queue
/// trigger), polling as rarely as that trigger when idle.
/// </summary>
public sealed class ChannelPump(StorageClients clients, Handoff.Storage.Notices.Channels.ChannelHandler handler, ILogger<QueuePump> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new QueuePump(clients, handler, TimeProvider.System, new QueueHealth(), logger, WebhookPump.Options).RunAsync(stoppingToken);
}

/// <summary>Delivers webhook notices from <c>handoff-webhooks</c> with back-off, dead-lettering after the handler's limit.</summary>
public sealed class WebhookPump(StorageClients clients, WebhookHandler handler, ILogger<QueuePump> logger) : BackgroundService
{
    /// <summary>How the pump polls: idle, as rarely as the Function App's queue trigger (host.json).</summary>
    public static readonly QueuePumpOptions Options = new() { MaxIdleDelay = WebhookHandler.IdlePollingInterval };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new QueuePump(clients, handler, TimeProvider.System, new QueueHealth(), logger, Options).RunAsync(stoppingToken);
}
