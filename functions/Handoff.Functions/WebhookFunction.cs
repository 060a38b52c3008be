using Azure.Storage.Queues.Models;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Queues;
using Handoff.Workflow;
using Microsoft.Azure.Functions.Worker;

namespace Handoff.Functions;

/// <summary>
/// Webhook deliveries from <c>handoff-webhooks</c> (the self-host's <c>WebhookPump</c> here is a queue trigger on the
/// <c>AzureWebJobsStorage</c> account). The host owns the retries: a failed delivery throws, the message becomes visible again after
/// host.json's <c>queues.visibilityTimeout</c>, and after <c>queues.maxDequeueCount</c> (8, the handler's
/// <see cref="WebhookHandler.MaxFailures"/>) the host moves it, as it was, to <c>handoff-webhooks-poison</c>. A message that can never
/// be delivered (malformed JSON, <see cref="WebhookHandler.IsPermanent"/>) is not retried: a report of it goes to the same poison queue
/// at once, in the self-host pump's format, and the message is completed.
/// Our queues carry plain JSON (<c>QueueMessageEncoding.None</c>), hence host.json's <c>queues.messageEncoding: "none"</c>.
/// </summary>
public sealed partial class WebhookFunction(WebhookHandler handler, StorageClients clients, WorkflowTime time, ILogger<WebhookFunction> logger)
{
    [Function("Webhooks")]
    public async Task Run([QueueTrigger(StorageNames.WebhookQueue)] string message, FunctionContext context)
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
