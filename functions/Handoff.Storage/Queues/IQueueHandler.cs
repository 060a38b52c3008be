using Azure.Storage.Queues.Models;

namespace Handoff.Storage.Queues;

/// <summary>Handles one message of one queue. Throwing means "failed": the pump retries with back-off and, past the limit, poisons it.</summary>
public interface IQueueHandler
{
    string Queue { get; }

    /// <summary>Failures after which a message goes to the poison queue.</summary>
    int MaxFailures { get; }

    Task<Disposition> HandleAsync(QueueMessage message, CancellationToken cancellationToken);
}
