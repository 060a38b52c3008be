using System.Text.Json;
using Handoff.Core.Notices.Channels;
using Handoff.Development;
using Handoff.Storage.Notices.Channels;
using Handoff.Testing;

namespace Handoff.Storage.Tests.Notices;

/// <summary>
/// Issue 22: notices reach group robots through <see cref="ChannelHandler"/>, against robots that check signatures, limits and sizes
/// as the platforms document them (<see cref="FakeRobotServer"/>): one message per notice and channel, digests under a burst, never over
/// a limit, back-off on a throttle, give-up at once on a bad key or signature, and no repeat after a crash between sending and recording.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class ChannelDeliveryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AnEscalation_ArrivesInTheWeComGroup_WithItsLink_AndIsRecordedSent()
    {
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))]);
        var notice = rig.Escalation("张某某");

        await rig.Dispatcher.DispatchAsync([notice]);
        await rig.DrainAsync(rig.Target);

        var delivery = Assert.Single(rig.Robots.Received);
        var content = JsonDocument.Parse(delivery.Body).RootElement.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.Contains("【逾期未报到·第1级督办】张某某", content, StringComparison.Ordinal);
        Assert.Contains("截止时间：2026年3月17日 24:00；已逾期1小时", content, StringComparison.Ordinal);
        Assert.Contains("(https://handoff.example.gov.cn/cases/HO-7K2M9Q4T1BXR)", content, StringComparison.Ordinal);
        Assert.Equal(ChannelNoticeStatus.Sent, (await rig.Store.FindAsync(rig.Target.Key, notice.Id))!.Status);
        var (state, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
        Assert.Equal((1, 1, false), (state.Sent, state.Messages, state.Failing));
    }

    [Fact]
    public async Task AFirstLevelEscalation_MentionsTheDutyOfficers_ByMobileNumber()
    {
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))],
            mentions: ["13800000001"]);

        await rig.Dispatcher.DispatchAsync([rig.Escalation("张某某", level: 1)]);
        await rig.DrainAsync(rig.Target);
        await rig.Dispatcher.DispatchAsync([rig.Escalation("李某某", level: 2)]);
        await rig.DrainAsync(rig.Target);

        var first = JsonDocument.Parse(rig.Robots.Received[0].Body).RootElement;
        Assert.Equal("text", first.GetProperty("msgtype").GetString());
        Assert.Equal("13800000001", first.GetProperty("text").GetProperty("mentioned_mobile_list")[0].GetString());
        Assert.Equal("markdown", JsonDocument.Parse(rig.Robots.Received[1].Body).RootElement.GetProperty("msgtype").GetString());
    }

    [Theory]
    [InlineData(ChannelPlatform.WeCom)]
    [InlineData(ChannelPlatform.DingTalk)]
    [InlineData(ChannelPlatform.Feishu)]
    public async Task ABurstOf100Notices_ToOneRobot_GoesAsDigests_EachNoticeOnce_NeverOverTheLimit(ChannelPlatform platform)
    {
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, platform, platform switch
        {
            ChannelPlatform.WeCom => robots.AddWeComRobot("k-" + org),
            ChannelPlatform.DingTalk => robots.AddDingTalkRobot("k-" + org, "SEC-" + org),
            _ => robots.AddFeishuRobot("k-" + org, "SEC-" + org),
        }, platform == ChannelPlatform.WeCom ? null : "SEC-" + org)]);
        var notices = Enumerable.Range(1, 100).Select(i => rig.Escalation($"人员{i:D3}号", level: 2)).ToList();

        foreach (var chunk in notices.Chunk(10))
        {
            await rig.Dispatcher.DispatchAsync(chunk); // a county's midnight: the cases' ticks, ten notices at a time
        }

        await rig.DrainAsync(rig.Target);

        var robot = "k-" + rig.Org;
        Assert.Empty(rig.Robots.Rejected);
        Assert.Equal(0, rig.Robots.OverLimit(robot));
        var bodies = rig.Robots.Received.Select(r => r.Body).ToList();
        Assert.InRange(bodies.Count, 2, 20); // digests, not 100 messages
        foreach (var i in Enumerable.Range(1, 100))
        {
            Assert.Equal(1, bodies.Sum(b => Occurrences(b, $"人员{i:D3}号")));
        }

        var (state, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
        Assert.Equal(100, state.Sent);
        Assert.Equal(bodies.Count, state.Messages);
    }

    [Theory]
    [InlineData(ChannelPlatform.WeCom)]
    [InlineData(ChannelPlatform.Feishu)]
    public async Task NoticesArrivingOneByOne_GoPacedWithinTheRate_TheRestGathered(ChannelPlatform platform)
    {
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, platform,
            platform == ChannelPlatform.WeCom ? robots.AddWeComRobot("k-" + org) : robots.AddFeishuRobot("k-" + org, null))]);
        var limit = ChannelLimits.For(platform);

        for (var i = 1; i <= 120; i++)
        {
            await rig.Dispatcher.DispatchAsync([rig.Escalation($"人员{i:D3}号", level: 2)]);
            await rig.Handler.RunAsync(rig.Target, CancellationToken.None); // each notice's own wake-up, at once
            rig.Time.Advance(TimeSpan.FromMilliseconds(100));
        }

        await rig.DrainAsync(rig.Target);

        Assert.Empty(rig.Robots.Rejected);
        Assert.Equal(0, rig.Robots.OverLimit("k-" + rig.Org));
        var sent = rig.Robots.Received.Select(r => r.At).ToList();
        Assert.All(sent, at => Assert.InRange(sent.Count(s => s > at - TimeSpan.FromMinutes(1) && s <= at), 1, limit.PerMinute));
        var pace = TimeSpan.FromTicks(TimeSpan.FromMinutes(1).Ticks / limit.PerMinute); // the window keeps milliseconds: 1 ms either way
        Assert.All(sent.Zip(sent.Skip(1)), pair => Assert.True(pair.Second - pair.First >= pace - TimeSpan.FromMilliseconds(1), $"{pair.First:O} then {pair.Second:O}: closer than {pace}"));
        Assert.True(sent.Count >= 12 * TimeSpan.FromSeconds(1) / pace - 1, $"{sent.Count} messages in 12 s: paced, not held back further");
        var (state, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
        Assert.Equal(120, state.Sent);
    }

    [Fact]
    public async Task ABurstDispatchedOverSeconds_GoesAsFewDigests_WithoutWaitingOutTheMinute()
    {
        // A county's midnight as the benchmark saw it: 100 notices to one robot, dispatched one by one over 15 s, each dispatch's
        // wake-up arriving as it comes. Spending the minute's 18 messages on the first few notices would leave the rest to wait ~a minute.
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))]);
        var start = rig.Time.GetUtcNow();

        for (var i = 1; i <= 100; i++)
        {
            await rig.Dispatcher.DispatchAsync([rig.Escalation($"人员{i:D3}号", level: 2)]);
            rig.Time.Advance(TimeSpan.FromMilliseconds(150));
            await rig.Handler.RunAsync(rig.Target, CancellationToken.None);
        }

        await rig.DrainAsync(rig.Target);

        var sent = rig.Robots.Received.Select(r => r.At).ToList();
        Assert.True(sent.Max() - start < TimeSpan.FromSeconds(25), $"the last of {sent.Count} messages went {(sent.Max() - start).TotalSeconds:0.#} s after the burst began");
        Assert.InRange(sent.Count, 2, 10);
        Assert.Equal(0, rig.Robots.OverLimit("k-" + rig.Org));
        var (state, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
        Assert.Equal(100, state.Sent);
    }

    [Fact]
    public async Task WeComRateLimit45009_PausesAMinute_ThenTheNoticeGoes()
    {
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))]);
        rig.Robots.FailNext("k-" + rig.Org, 1, 45009);
        var notice = rig.Escalation("张某某");
        await rig.Dispatcher.DispatchAsync([notice]);
        var start = rig.Time.GetUtcNow();

        await rig.Handler.RunAsync(rig.Target, CancellationToken.None);
        var (paused, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
        Assert.Equal(start + TimeSpan.FromMinutes(1), paused.NotBefore);
        rig.Time.Advance(TimeSpan.FromSeconds(30));
        await rig.Handler.RunAsync(rig.Target, CancellationToken.None);
        Assert.Empty(rig.Robots.Received); // still paused: nothing sent half-way through
        Assert.Single(rig.Robots.Rejected);

        await rig.DrainAsync(rig.Target);
        var delivery = Assert.Single(rig.Robots.Received);
        Assert.True(delivery.At >= start + TimeSpan.FromMinutes(1));
        Assert.Equal(ChannelNoticeStatus.Sent, (await rig.Store.FindAsync(rig.Target.Key, notice.Id))!.Status);
    }

    [Fact]
    public async Task DingTalkThrottle130101_PausesTenMinutes_ThenTheNoticeGoes()
    {
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.DingTalk, robots.AddDingTalkRobot("k-" + org, "SEC"), "SEC")]);
        rig.Robots.FailNext("k-" + rig.Org, 1, 130101);
        await rig.Dispatcher.DispatchAsync([rig.Escalation("张某某")]);
        var start = rig.Time.GetUtcNow();

        await rig.DrainAsync(rig.Target);

        var delivery = Assert.Single(rig.Robots.Received);
        Assert.True(delivery.At >= start + TimeSpan.FromMinutes(10), $"sent at {delivery.At}, throttled at {start}");
        Assert.Equal(0, rig.Robots.OverLimit("k-" + rig.Org));
    }

    [Theory]
    [InlineData(ChannelPlatform.WeCom, 93000)]
    [InlineData(ChannelPlatform.DingTalk, 310000)]
    [InlineData(ChannelPlatform.Feishu, 19021)]
    public async Task ABadKeyOrSignature_IsGivenUpAtOnce_AndReported(ChannelPlatform platform, int code)
    {
        // The robots exist, but the configured key is unknown (企业微信) or the secret is wrong (钉钉, 飞书): as an operator's typo would be.
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, platform, platform switch
        {
            ChannelPlatform.WeCom => new Uri(robots.AddWeComRobot("k-" + org).ToString().Replace("k-" + org, "typo-" + org, StringComparison.Ordinal)),
            ChannelPlatform.DingTalk => robots.AddDingTalkRobot("k-" + org, "RIGHT"),
            _ => robots.AddFeishuRobot("k-" + org, "RIGHT"),
        }, platform == ChannelPlatform.WeCom ? null : "WRONG")]);
        var notice = rig.Escalation("张某某");
        await rig.Dispatcher.DispatchAsync([notice]);

        await rig.DrainAsync(rig.Target);
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.Handler.RunAsync(rig.Target, CancellationToken.None);

        var rejected = Assert.Single(rig.Robots.Rejected); // one attempt, no retry
        Assert.Equal(code, rejected.Code);
        Assert.Empty(rig.Robots.Received);
        var record = (await rig.Store.FindAsync(rig.Target.Key, notice.Id))!;
        Assert.Equal(ChannelNoticeStatus.GaveUp, record.Status);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), record.Error, StringComparison.Ordinal);
        var (state, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
        Assert.True(state.Failing);
        Assert.Equal(1, state.GaveUp);
        Assert.Contains((rig.Target.Key, true), (await rig.Store.StatesAsync([rig.Target.Key])).Select(s => (s.Key, s.State.Failing)));
    }

    [Fact]
    public async Task ATransientFailure_IsRetriedWithBackOff_AndSentOnce()
    {
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.Feishu, robots.AddFeishuRobot("k-" + org, null))]);
        rig.Robots.FailNext("k-" + rig.Org, 2, 500);
        var notice = rig.Escalation("张某某");
        await rig.Dispatcher.DispatchAsync([notice]);
        var start = rig.Time.GetUtcNow();

        await rig.DrainAsync(rig.Target);

        Assert.Equal(2, rig.Robots.Rejected.Count);
        var delivery = Assert.Single(rig.Robots.Received);
        Assert.True(delivery.At >= start + TimeSpan.FromSeconds(10 + 20), "10 s, then 20 s");
        var (state, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
        Assert.False(state.Failing); // cleared by the message that went
    }

    [Fact]
    public async Task ANoticeDispatchedAgain_AfterItWasSent_IsNotSentAgain()
    {
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))]);
        var notice = rig.Escalation("张某某");

        await rig.Dispatcher.DispatchAsync([notice]);
        await rig.DrainAsync(rig.Target);
        await rig.Dispatcher.DispatchAsync([notice]); // the outbox publishing again after a crash
        rig.Time.Advance(TimeSpan.FromMinutes(5));
        await rig.DrainAsync(rig.Target);

        Assert.Single(rig.Robots.Received);
    }

    [Fact]
    public async Task ACrashBetweenSendingAndRecording_DoesNotSendTheNoticeAgain_AndReportsIt()
    {
        // The process "dies" right after the robot accepted the message: the request went, the answer came, and the sender is cancelled
        // before it can record anything, as a host stopping mid-send is. What the next sender finds is only what is in storage.
        var crash = new CancellationTokenSource();
        var http = new CrashAfterSend(crash);
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))], http: http);
        var notice = rig.Escalation("张某某");
        await rig.Dispatcher.DispatchAsync([notice]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Handler.RunAsync(rig.Target, crash.Token));
        Assert.Single(rig.Robots.Received);
        Assert.Equal(ChannelNoticeStatus.Pending, (await rig.Store.FindAsync(rig.Target.Key, notice.Id))!.Status);

        // A new sender (another process: new objects, the same tables and robots) wakes up, at first while the claim is fresh, then after.
        http.Crashing = false;
        var next = new ChannelHandler(new ChannelStore(rig.Clients), rig.Directory, rig.Sender, rig.Clients, rig.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ChannelHandler>.Instance, rig.Options);
        await next.RunAsync(rig.Target, CancellationToken.None);
        Assert.Single(rig.Robots.Received);
        rig.Time.Advance(rig.Options.ClaimTimeout);
        await next.RunAsync(rig.Target, CancellationToken.None);

        Assert.Single(rig.Robots.Received);
        Assert.Equal(ChannelNoticeStatus.Uncertain, (await rig.Store.FindAsync(rig.Target.Key, notice.Id))!.Status);
        var (state, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
        Assert.Equal((1, true, (ChannelClaim?)null), (state.Uncertain, state.Failing, state.Claim));

        // The channel is not stuck: the next notice goes.
        await rig.Dispatcher.DispatchAsync([rig.Escalation("李某某")]);
        await rig.DrainAsync(rig.Target);
        Assert.Equal(2, rig.Robots.Received.Count);
    }

    [Fact]
    public async Task NoticesFailingForADay_AreGivenUp_EvenMoreThanOneTransactionHolds()
    {
        // A county's robot answering 500 for a day while 60 notices pile up: giving them up must not need one transaction of 121 rows.
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))]);
        rig.Robots.FailNext("k-" + rig.Org, 1000, 500);
        var notices = Enumerable.Range(1, 60).Select(i => rig.Escalation($"人员{i:D3}号", level: 2)).ToList();
        await rig.Dispatcher.DispatchAsync(notices);
        await rig.Handler.RunAsync(rig.Target, CancellationToken.None); // fails: the channel is failing from now

        rig.Time.Advance(rig.Options.GiveUpAfter + TimeSpan.FromMinutes(1));
        await rig.DrainAsync(rig.Target);

        foreach (var notice in notices)
        {
            Assert.Equal(ChannelNoticeStatus.GaveUp, (await rig.Store.FindAsync(rig.Target.Key, notice.Id))!.Status);
        }

        Assert.Equal(60, (await rig.Store.ReadStateAsync(rig.Target.Key)).State.GaveUp);
    }

    [Fact]
    public async Task ARequestWithoutAnAnswer_IsUncertain_AndTheChannelPauses_InsteadOfLosingTheWholeBacklog()
    {
        // The robot takes the first message but never answers in time (a proxy that swallows the answer): that message is uncertain;
        // the rest must not be sent into the same silence one digest after another and all marked uncertain.
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.Feishu, robots.AddFeishuRobot("k-" + org, null))],
            options: new ChannelDeliveryOptions { SendTimeout = TimeSpan.FromSeconds(1), ClaimTimeout = TimeSpan.FromSeconds(2) });
        rig.Robots.Hold("k-" + rig.Org);
        var notices = Enumerable.Range(1, 100).Select(i => rig.Escalation($"人员{i:D3}号", level: 2)).ToList();
        await rig.Dispatcher.DispatchAsync(notices);

        for (var round = 0; round < 5; round++)
        {
            // Each wake-up as it comes, for five of them, the robot still silent.
            await rig.Handler.RunAsync(rig.Target, CancellationToken.None);
            var (state, _) = await rig.Store.ReadStateAsync(rig.Target.Key);
            rig.Time.Advance(new[] { state.WakeAt, state.NotBefore }.Max() is { } next && next > rig.Time.GetUtcNow() ? next - rig.Time.GetUtcNow() : TimeSpan.FromSeconds(1));
        }

        var statuses = new List<string>();
        foreach (var notice in notices)
        {
            statuses.Add((await rig.Store.FindAsync(rig.Target.Key, notice.Id))!.Status);
        }

        Assert.InRange(statuses.Count(s => s == ChannelNoticeStatus.Uncertain), 1, RobotMessages.MaxDigest + 4); // the first message, then one notice at a time
        Assert.True(statuses.Count(s => s == ChannelNoticeStatus.Pending) >= 60, string.Join(",", statuses.GroupBy(s => s).Select(g => $"{g.Key} {g.Count()}")));
        rig.Robots.Release("k-" + rig.Org);
    }

    [Fact]
    public async Task AChannelWhoseWakeUpWasLost_IsWokenByTheSweep()
    {
        // The notice is queued but its wake-up is gone (poisoned by the host after a storage outage, or taken by an instance that could
        // not read the channel's secret): the reconciler's sweep finds the channel waiting and wakes it.
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))]);
        Assert.True(await rig.Store.EnqueueAsync(rig.Target.Key, rig.Escalation("张某某"), rig.Time.GetUtcNow()));
        rig.Time.Advance(TimeSpan.FromMinutes(5));

        var woken = await rig.Handler.SweepAsync(CancellationToken.None);

        Assert.Equal([rig.Target.Key], woken);
        Assert.Equal(rig.Time.GetUtcNow(), (await rig.Store.ReadStateAsync(rig.Target.Key)).State.WakeAt);
        Assert.Empty(await rig.Handler.SweepAsync(CancellationToken.None)); // woken already: not again at once

        await rig.DrainAsync(rig.Target);
        Assert.Single(rig.Robots.Received);
    }

    [Fact]
    public async Task TwoWorkersOnOneChannel_SendEachNoticeOnce_WithinTheRate()
    {
        // Two processes' handlers woken together, over and over, while notices keep coming: the claim keeps one sender at a time.
        await using var rig = await ChannelRig.StartAsync(azurite, (robots, org) => [ChannelRig.Robot(org, ChannelPlatform.WeCom, robots.AddWeComRobot("k-" + org))]);
        var other = new ChannelHandler(new ChannelStore(rig.Clients), rig.Directory, rig.Sender, rig.Clients, rig.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ChannelHandler>.Instance, rig.Options);
        for (var i = 1; i <= 60; i++)
        {
            await rig.Dispatcher.DispatchAsync([rig.Escalation($"人员{i:D3}号", level: i % 2 + 1)]);
            await Task.WhenAll(rig.Handler.RunAsync(rig.Target, CancellationToken.None), other.RunAsync(rig.Target, CancellationToken.None));
            rig.Time.Advance(TimeSpan.FromMilliseconds(700));
        }

        await rig.DrainAsync(rig.Target);

        var bodies = rig.Robots.Received.Select(r => r.Body).ToList();
        foreach (var i in Enumerable.Range(1, 60))
        {
            Assert.Equal(1, bodies.Count(b => b.Contains($"人员{i:D3}号", StringComparison.Ordinal)));
        }

        Assert.Equal(0, rig.Robots.OverLimit("k-" + rig.Org));
        Assert.Empty(rig.Robots.Rejected);
        Assert.Equal(60, (await rig.Store.ReadStateAsync(rig.Target.Key)).State.Sent);
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Lets the request through and, once its answer is back, cancels the sender as a dying host would.</summary>
    private sealed class CrashAfterSend(CancellationTokenSource crash) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        public bool Crashing { get; set; } = true;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Crashing)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                await crash.CancelAsync();
                crash.Token.ThrowIfCancellationRequested();
            }

            return response;
        }
    }
}
