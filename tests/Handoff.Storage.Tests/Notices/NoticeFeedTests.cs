using Handoff.Core.Notices;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Notices;

/// <summary>
/// The integrators' feed is per recipient: an organisation's integration reads its own queue and no other organisation's notices
/// (戒毒条例 7②: who is under rehabilitation is confidential).
/// </summary>
[Collection(AzuriteCollection.Name)]
public class NoticeFeedTests(AzuriteFixture azurite)
{
    private static Notice Notice(string id, string recipient) =>
        new(id, "HO-0000000000FE", recipient, NoticeKind.ReleaseNotice, null, null, null, "标题", "正文", Beijing(2026, 2, 20));

    [Fact]
    public async Task Dispatch_PutsEachNoticeOnItsRecipientsOwnFeed_Only()
    {
        var rt = new Stores(azurite.ConnectionString);
        var office = Notice($"f-{Guid.NewGuid():N}", Office);
        var police = Notice($"f-{Guid.NewGuid():N}", Police);

        await rt.Dispatcher.DispatchAsync([office, police]);

        var officeFeed = await rt.Clients.Queue(StorageNames.NoticeFeed(Office)).PeekMessagesAsync(32);
        var policeFeed = await rt.Clients.Queue(StorageNames.NoticeFeed(Police)).PeekMessagesAsync(32);
        Assert.Contains(officeFeed.Value, m => m.Body.ToString().Contains(office.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(officeFeed.Value, m => m.Body.ToString().Contains(police.Id, StringComparison.Ordinal));
        Assert.Contains(policeFeed.Value, m => m.Body.ToString().Contains(police.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(policeFeed.Value, m => m.Body.ToString().Contains(office.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_FeedAndWebhookMessages_ExpireAfterTheConfiguredTimeToLive()
    {
        var rt = new Stores(azurite.ConnectionString);
        var notice = Notice($"f-{Guid.NewGuid():N}", Office);

        await rt.Dispatcher.DispatchAsync([notice]);

        var feed = await rt.Clients.Queue(StorageNames.NoticeFeed(Office)).PeekMessagesAsync(32);
        var message = Assert.Single(feed.Value, m => m.Body.ToString().Contains(notice.Id, StringComparison.Ordinal));
        var lifetime = message.ExpiresOn!.Value - message.InsertedOn!.Value;
        Assert.True(lifetime <= new NoticeOptions().QueueTimeToLive + TimeSpan.FromMinutes(1), $"the feed message lives {lifetime}");
        Assert.True(lifetime >= new NoticeOptions().QueueTimeToLive - TimeSpan.FromMinutes(1), $"the feed message lives {lifetime}");
    }

    [Fact]
    public void FeedName_IsTheRecipientsQueue_AndAnIdThatCannotNameAQueueIsRefused()
    {
        Assert.Equal("handoff-notices-pingyuan-dazhe-office", StorageNames.NoticeFeed("pingyuan-dazhe-office"));
        Assert.Throws<ArgumentException>(() => StorageNames.NoticeFeed("Meizhou_Centre"));
        Assert.Throws<ArgumentException>(() => StorageNames.NoticeFeed("a--b"));
        Assert.Throws<ArgumentException>(() => StorageNames.NoticeFeed(new string('a', 48)));
    }
}
