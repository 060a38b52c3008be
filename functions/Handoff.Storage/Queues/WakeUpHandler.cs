using System.Text.Json;
using Azure.Storage.Queues.Models;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Runtime;

namespace Handoff.Storage.Queues;

/// <summary>The wake-up queue's handler: parse, then <see cref="WakeUpProcessor"/>.</summary>
public sealed class WakeUpHandler(WakeUpProcessor processor, QueueClock clock) : IQueueHandler
{
    public string Queue => StorageNames.WakeUpQueue;

    public int MaxFailures => 5;

    /// <summary>A failing wake-up may be a case's only live timer: it is reported, never deleted, until it succeeds.</summary>
    public bool KeepsFailingMessages => true;

    public bool IsPermanent(Exception error) => error is JsonException;

    public Task<Disposition> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var wakeUp = JsonSerializer.Deserialize<WakeUpMessage>(message.Body.ToString(), CoreJson.Options)
            ?? throw new JsonException("Empty wake-up message.");
        if (string.IsNullOrEmpty(wakeUp.CaseId) || string.IsNullOrEmpty(wakeUp.Token))
        {
            throw new JsonException("A wake-up message needs caseId and token.");
        }

        var age = clock.Real.GetUtcNow() - (message.InsertedOn ?? clock.Real.GetUtcNow());
        return processor.ProcessAsync(wakeUp, age, cancellationToken);
    }
}
