using System.Text.Json;
using Azure.Storage.Queues;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Notices;

/// <summary>
/// Delivers committed notices: to the recipient's inbox (exactly one row per notice id), to the integrators' feed queue, and to the
/// webhook queue when the recipient has a webhook. Called from the outbox, so it may run again after a crash: the inbox is keyed by
/// notice id, and the feed and webhooks carry the same id on a repeat (consumers de-duplicate on it).
/// </summary>
public sealed class NoticeDispatcher(StorageClients clients, InboxStore inbox, OrganisationDirectory directory)
{
    private readonly QueueClient _feed = clients.Queue(StorageNames.NoticeFeedQueue);
    private readonly QueueClient _webhooks = clients.Queue(StorageNames.WebhookQueue);

    public async Task DispatchAsync(IReadOnlyList<Notice> notices, CancellationToken cancellationToken = default)
    {
        if (notices.Count == 0)
        {
            return;
        }

        await inbox.DeliverAsync(notices, cancellationToken).ConfigureAwait(false);
        foreach (var notice in notices)
        {
            var json = JsonSerializer.Serialize(notice, CoreJson.Options);
            await _feed.SendMessageAsync(json, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (directory.Find(notice.RecipientId)?.Webhook is not null)
            {
                await _webhooks.SendMessageAsync(
                    JsonSerializer.Serialize(new WebhookDelivery(notice), CoreJson.Options),
                    timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
