using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Queues;

/// <summary>Sends wake-up messages. Messages never expire: a timer may wait years, hopping 7 days at a time.</summary>
public sealed class WakeUpQueue(StorageClients clients)
{
    /// <summary>The longest a queue message can stay invisible (Azure Storage limit), less a margin.</summary>
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    private readonly QueueClient _queue = clients.Queue(StorageNames.WakeUpQueue);

    public QueueClient Client => _queue;

    public async Task<SendReceipt> SendAsync(WakeUpMessage message, TimeSpan visibility, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(message, CoreJson.Options);
        var response = await _queue.SendMessageAsync(
            json, Clamp(visibility), timeToLive: TimeSpan.FromSeconds(-1), cancellationToken).ConfigureAwait(false);
        return response.Value;
    }

    public static TimeSpan Clamp(TimeSpan visibility) =>
        visibility < TimeSpan.Zero ? TimeSpan.Zero : visibility > MaxVisibility ? MaxVisibility : visibility;
}
