using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Queues;

/// <summary>Sends wake-up messages. Messages never expire: a timer may wait years, hopping 7 days at a time.</summary>
public sealed class WakeUpQueue(StorageClients clients)
{
    private readonly QueueClient _queue = clients.Queue(StorageNames.WakeUpQueue);

    public async Task<SendReceipt> SendAsync(WakeUpMessage message, TimeSpan visibility, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(message, CoreJson.Options);
        var response = await _queue.SendMessageAsync(
            json, visibility < TimeSpan.Zero ? TimeSpan.Zero : visibility, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
        return response.Value;
    }
}
