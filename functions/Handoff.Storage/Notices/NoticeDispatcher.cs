using System.Text.Json;
using Azure.Storage.Queues;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Notices;

/// <summary>
/// Delivers committed notices: to the recipient's inbox (exactly one row per notice id), to the recipient's own feed queue
/// (<see cref="StorageNames.NoticeFeed"/>, created on its first notice), and to the webhook queue when the recipient has a webhook. Called from the outbox, so it may run again after a crash: the inbox is keyed by
/// notice id, and the feed and webhooks carry the same id on a repeat (consumers de-duplicate on it).
/// </summary>
/// <remarks>Feed and webhook messages expire after <see cref="NoticeOptions.QueueTimeToLive"/>; the inbox keeps every notice.</remarks>
public sealed class NoticeDispatcher(
    StorageClients clients, InboxStore inbox, OrganisationDirectory directory, HandoffTelemetry? telemetry = null, NoticeOptions? options = null)
{
    private readonly TimeSpan _timeToLive = (options ?? new NoticeOptions()).QueueTimeToLive;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, QueueClient> _feeds = new(StringComparer.Ordinal);
    private readonly QueueClient _webhooks = clients.Queue(StorageNames.WebhookQueue);

    public async Task DispatchAsync(IReadOnlyList<Notice> notices, CancellationToken cancellationToken = default)
    {
        if (notices.Count == 0)
        {
            return;
        }

        await inbox.DeliverAsync(notices, cancellationToken).ConfigureAwait(false);
        telemetry?.Notices("inbox", notices.Count);
        foreach (var notice in notices)
        {
            var json = JsonSerializer.Serialize(notice, CoreJson.Options);
            await SendToFeedAsync(notice.RecipientId, json, cancellationToken).ConfigureAwait(false);
            telemetry?.Notices("feed");
            if (directory.Find(notice.RecipientId)?.Webhook is not null)
            {
                await _webhooks.SendMessageAsync(
                    JsonSerializer.Serialize(new WebhookDelivery(notice), CoreJson.Options),
                    timeToLive: _timeToLive, cancellationToken: cancellationToken).ConfigureAwait(false);
                telemetry?.Notices("webhook-queued");
            }
        }
    }

    /// <summary>Sends to the recipient's feed; a feed that does not exist yet is created and the send repeated (one extra request, once).</summary>
    private async Task SendToFeedAsync(string recipientId, string json, CancellationToken cancellationToken)
    {
        var feed = _feeds.GetOrAdd(recipientId, id => clients.Queue(StorageNames.NoticeFeed(id)));
        try
        {
            await feed.SendMessageAsync(json, timeToLive: _timeToLive, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            await feed.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await feed.SendMessageAsync(json, timeToLive: _timeToLive, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
