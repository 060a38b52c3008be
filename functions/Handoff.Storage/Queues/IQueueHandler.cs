using Azure.Storage.Queues.Models;

namespace Handoff.Storage.Queues;

/// <summary>Handles one message of one queue. Throwing means "failed": the pump retries with back-off and, past the limit, poisons it.</summary>
public interface IQueueHandler
{
    string Queue { get; }

    /// <summary>Failures after which a message is reported to the poison queue.</summary>
    int MaxFailures { get; }

    /// <summary>
    /// Whether a message that reached <see cref="MaxFailures"/> stays in the queue, retried at the longest back-off, after a copy goes to
    /// the poison queue. True where deleting it would lose something the store still relies on (a case's live timer).
    /// </summary>
    bool KeepsFailingMessages { get; }

    /// <summary>Whether the error can never go away by retrying (e.g. a malformed message): such a message is moved to poison at once.</summary>
    bool IsPermanent(Exception error);

    Task<Disposition> HandleAsync(QueueMessage message, CancellationToken cancellationToken);
}
