using System.Text.Json;
using Azure.Storage.Queues;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices.Channels;

namespace Handoff.Storage.Notices;

/// <summary>
/// Delivers committed notices: to the recipient's inbox (exactly one row per notice id), to the recipient's own feed queue
/// (<see cref="StorageNames.NoticeFeed"/>, created on its first notice), and to the webhook queue when the recipient has a webhook. Called from the outbox, so it may run again after a crash: the inbox is keyed by
/// notice id, and the feed and webhooks carry the same id on a repeat (consumers de-duplicate on it). A notice routed to a group robot or
/// e-mail (<see cref="ChannelDirectory.Routes"/>) is queued in its channel's partition (<see cref="ChannelStore"/>), once per notice id
/// however often it is dispatched, and the channel woken after <see cref="ChannelDeliveryOptions.GatherDelay"/>; sending happens
/// apart (<see cref="ChannelHandler"/>), so a slow robot never slows a case's steps.
/// </summary>
/// <remarks>Feed and webhook messages expire after <see cref="NoticeOptions.QueueTimeToLive"/>; the inbox keeps every notice.</remarks>
public sealed class NoticeDispatcher(
    StorageClients clients, InboxStore inbox, OrganisationDirectory directory, HandoffTelemetry? telemetry = null, NoticeOptions? options = null,
    ChannelDirectory? channels = null, ChannelStore? channelStore = null, ChannelDeliveryOptions? delivery = null, TimeProvider? realTime = null)
{
    private readonly ChannelDirectory _channels = channels ?? ChannelDirectory.Empty;
    private readonly ChannelStore _channelStore = channelStore ?? new ChannelStore(clients);
    private readonly TimeSpan _gather = (delivery ?? new ChannelDeliveryOptions()).GatherDelay;
    private readonly TimeProvider _realTime = realTime ?? TimeProvider.System;
    private readonly QueueClient _channelWakes = clients.Queue(StorageNames.ChannelQueue);

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

        var woken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var notice in notices)
        {
            foreach (var target in _channels.Routes(notice))
            {
                await _channelStore.EnqueueAsync(target.Key, notice, _realTime.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                woken.Add(target.Key);
            }
        }

        foreach (var key in woken)
        {
            // Woken even when every notice was queued before (a repeat after a crash): the wake-up that followed then may be what was lost.
            await WakeAsync(key, _gather, cancellationToken).ConfigureAwait(false);
            telemetry?.Notices("channel-queued");
        }
    }

    /// <summary>
    /// Queues a test message to one channel of the organisation (通知渠道 → 发送测试消息): it goes through the same rate limit and
    /// records as any notice, and never to an inbox. False when a test with the same id was queued already.
    /// </summary>
    public async Task<bool> QueueTestAsync(ChannelTarget target, Notice notice, CancellationToken cancellationToken = default)
    {
        var queued = await _channelStore.EnqueueAsync(target.Key, notice, _realTime.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await WakeAsync(target.Key, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        return queued;
    }

    private Task WakeAsync(string key, TimeSpan delay, CancellationToken cancellationToken) => ChannelHandler.WakeAsync(_channelWakes, key, delay, cancellationToken);

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
