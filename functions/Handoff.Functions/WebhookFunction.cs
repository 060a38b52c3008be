using Azure.Storage.Queues.Models;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Notices.Channels;
using Handoff.Storage.Queues;
using Handoff.Workflow;
using Microsoft.Azure.Functions.Worker;

namespace Handoff.Functions;

/// <summary>
/// The notice deliveries that the self-host pumps (<c>WebhookPump</c>, <c>ChannelPump</c>) are queue triggers here, on the
/// <c>AzureWebJobsStorage</c> account:
/// <list type="bullet">
/// <item><c>Webhooks</c> on <c>handoff-webhooks</c>;</item>
/// <item><c>Channels</c> on <c>handoff-channels</c>: a channel's wake-up; the handler queues its own later wake-ups (rate limits,
/// throttles, back-off), so nothing depends on how the host retries.</item>
/// </list>
/// The host owns the retries: a failed message throws, becomes visible again after host.json's <c>queues.visibilityTimeout</c>, and
/// after <c>queues.maxDequeueCount</c> (8, the handlers' <see cref="IQueueHandler.MaxFailures"/>) the host moves it, as it was, to
/// <c>{queue}-poison</c>. A message that can never be handled (malformed JSON, <see cref="IQueueHandler.IsPermanent"/>) is not
/// retried: a report of it goes to the same poison queue at once, in the self-host pump's format, and the message is completed.
/// Our queues carry plain JSON (<c>QueueMessageEncoding.None</c>), hence host.json's <c>queues.messageEncoding: "none"</c>.
/// </summary>
public sealed partial class WebhookFunction(WebhookHandler webhooks, ChannelHandler channels, StorageClients clients, WorkflowTime time, ILogger<WebhookFunction> logger)
{
    [Function("Webhooks")]
    public Task Run([QueueTrigger(StorageNames.WebhookQueue)] string message, FunctionContext context) => HandleAsync(webhooks, message, context);

    [Function("Channels")]
    public Task RunChannels([QueueTrigger(StorageNames.ChannelQueue)] string message, FunctionContext context) => HandleAsync(channels, message, context);

    private async Task HandleAsync(IQueueHandler handler, string message, FunctionContext context)
    {
        var data = context.BindingContext.BindingData;
        var id = data.TryGetValue("Id", out var i) ? i?.ToString() ?? "" : "";
        var dequeueCount = data.TryGetValue("DequeueCount", out var d) && long.TryParse(d?.ToString(), out var n) ? n : 1;
        var queueMessage = QueuesModelFactory.QueueMessage(id, popReceipt: "", BinaryData.FromString(message), dequeueCount);
        try
        {
            await handler.HandleAsync(queueMessage, context.CancellationToken);
        }
        catch (Exception ex) when (handler.IsPermanent(ex))
        {
            var poison = StorageNames.Poison(handler.Queue);
            var report = QueuePump.PoisonReport(handler.Queue, id, dequeueCount, ex, time.Real.GetUtcNow(), kept: false, message);
            await clients.Queue(poison).SendMessageAsync(report, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: context.CancellationToken);
            Poisoned(logger, handler.Queue, id, dequeueCount, poison, ex.Message);
        }
    }

    [LoggerMessage(1020, LogLevel.Error, "Queue {Queue}: message {MessageId} failed {Failures} times and was moved to {PoisonQueue}: {Error}")]
    private static partial void Poisoned(ILogger logger, string queue, string messageId, long failures, string poisonQueue, string error);
}
