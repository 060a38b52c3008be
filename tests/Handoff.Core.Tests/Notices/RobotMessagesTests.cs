using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Notices.Channels;
using Handoff.Core.Tests.Support;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Notices;

/// <summary>Issue 22's first piece: a notice as each group robot's message, and the robots' signatures.</summary>
public class RobotMessagesTests
{
    private static readonly Uri Link = new("https://handoff.example.cn/cases/HO-TEST-1");

    /// <summary>A first-level escalation of a missed report, as the workflow composes it.</summary>
    private static Notice Escalation()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 20)), Beijing(2026, 3, 2));
        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 20, 9), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2026, 3, 20, 9));
        run.Accept(new Tick(), Beijing(2026, 4, 9, 0, 5));
        return run.Notices.First(n => n.EscalationKind == EscalationKind.NotReported && n.Level == 1 && n.RecipientId == Office);
    }

    [Fact]
    public void Signatures_AreTheDocumentedHmacs()
    {
        // Vectors computed apart from this code, with Python's hmac/base64/urllib.parse.quote_plus, as the platforms' examples do.
        Assert.Equal("7NArGW8tnQ05eTr96IW5tfHy%2F7DXzC%2FHWIW1Mp8sn4U%3D", RobotSignatures.DingTalk(1765090800000, "SEC0123456789abcdef"));
        Assert.Equal("sjK9w3fSe1Py+nSaiOIhdElZ/WrahjFwCgn0SMb8dYU=", RobotSignatures.Feishu(1765090800, "SEC0123456789abcdef"));
    }

    [Fact]
    public void WeCom_IsMarkdownWithTheCaseLink_OrTextMentioningTheDutyOfficers()
    {
        var notice = Escalation();
        var markdown = JsonDocument.Parse(RobotMessages.WeCom(notice, Link, [])).RootElement;
        Assert.Equal("markdown", markdown.GetProperty("msgtype").GetString());
        var content = markdown.GetProperty("markdown").GetProperty("content").GetString()!;
        Assert.StartsWith($"**{notice.Title}**", content);
        Assert.Contains("逾期未报到", content);
        Assert.EndsWith($"[查看案件]({Link})", content);

        var text = JsonDocument.Parse(RobotMessages.WeCom(notice, Link, ["13800000000"])).RootElement;
        Assert.Equal("text", text.GetProperty("msgtype").GetString());
        Assert.Equal("13800000000", text.GetProperty("text").GetProperty("mentioned_mobile_list")[0].GetString());
        Assert.True(Encoding.UTF8.GetByteCount(text.GetProperty("text").GetProperty("content").GetString()!) <= RobotMessages.WeComTextBytes);
    }

    [Fact]
    public void AMessage_NeverExceedsThePlatformsBytes_KeepingTitleAndLink_AndNeverAClearIdNumber()
    {
        var notice = Escalation() with { Body = string.Concat(Enumerable.Repeat("请立即核查落实。", 800)) };
        foreach (var (json, field, max) in new[]
                 {
                     (RobotMessages.WeCom(notice, Link, []), "markdown", RobotMessages.WeComMarkdownBytes),
                     (RobotMessages.WeCom(notice, Link, ["13800000000"]), "text", RobotMessages.WeComTextBytes),
                 })
        {
            var content = JsonDocument.Parse(json).RootElement.GetProperty(field).GetProperty("content").GetString()!;
            Assert.InRange(Encoding.UTF8.GetByteCount(content), max - 30, max);
            Assert.Contains("（略）", content);
            Assert.Contains(Link.ToString(), content);
        }

        var all = RobotMessages.WeCom(Escalation(), Link, []) + RobotMessages.DingTalk(Escalation(), Link, ["13800000000"])
            + RobotMessages.Feishu(Escalation(), Link, 1765090800, "SEC0123456789abcdef");
        Assert.DoesNotContain("441426199003071234", all);
        Assert.Contains("4414**********1234", all);
    }

    [Fact]
    public void DingTalk_IsAnActionCardWithAButtonToTheCase_AndFeishuIsSignedInItsBody()
    {
        var notice = Escalation();
        var card = JsonDocument.Parse(RobotMessages.DingTalk(notice, Link, [])).RootElement;
        Assert.Equal("actionCard", card.GetProperty("msgtype").GetString());
        Assert.Equal(Link.ToString(), card.GetProperty("actionCard").GetProperty("singleURL").GetString());
        var ding = JsonDocument.Parse(RobotMessages.DingTalk(notice, Link, ["13800000000"])).RootElement; // mentions: markdown, which takes at
        Assert.Equal("markdown", ding.GetProperty("msgtype").GetString());
        Assert.Equal("13800000000", ding.GetProperty("at").GetProperty("atMobiles")[0].GetString());
        Assert.Contains("@13800000000", ding.GetProperty("markdown").GetProperty("text").GetString());
        Assert.Contains($"[查看案件]({Link})", ding.GetProperty("markdown").GetProperty("text").GetString());

        var feishu = JsonDocument.Parse(RobotMessages.Feishu(notice, Link, 1765090800, "SEC0123456789abcdef")).RootElement;
        Assert.Equal("1765090800", feishu.GetProperty("timestamp").GetString());
        Assert.Equal(RobotSignatures.Feishu(1765090800, "SEC0123456789abcdef"), feishu.GetProperty("sign").GetString());
        Assert.Contains(notice.Title, feishu.GetProperty("content").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(ChannelPlatform.WeCom, "markdown", "content", RobotMessages.WeComMarkdownBytes)]
    [InlineData(ChannelPlatform.DingTalk, "markdown", "text", RobotMessages.OtherTextBytes)]
    [InlineData(ChannelPlatform.Feishu, "content", "text", RobotMessages.OtherTextBytes)]
    public void ManyNotices_GoAsADigest_OfAsManyAsFit_EachWithItsDeadlineAndLink(ChannelPlatform platform, string part, string field, int max)
    {
        var escalation = Escalation();
        var notices = Enumerable.Range(1, 100).Select(i => escalation with { Id = $"n{i}", Level = 2, Title = $"【逾期未报到·第2级督办】人员{i:D3}号" }).ToList();

        var message = RobotMessages.Compose(platform, notices, n => new Uri(Link, n.Id), [], DateTimeOffset.FromUnixTimeSeconds(1765090800), "SEC");

        var text = JsonDocument.Parse(message.Body).RootElement.GetProperty(part).GetProperty(field).GetString()!;
        Assert.InRange(message.Count, 5, RobotMessages.MaxDigest);
        Assert.InRange(Encoding.UTF8.GetByteCount(text), max / 2, max);
        var title = $"【通知汇总】{message.Count}条，其中督办{message.Count}条";
        Assert.StartsWith(platform == ChannelPlatform.Feishu ? title : $"**{title}**", text);
        Assert.EndsWith("其余通知随后发送。", text);
        for (var i = 1; i <= 100; i++)
        {
            Assert.Equal(i <= message.Count, text.Contains($"人员{i:D3}号", StringComparison.Ordinal));
        }

        Assert.Contains(RobotMessages.DeadlineLine(escalation)!, text);
        Assert.StartsWith("截止时间：", RobotMessages.DeadlineLine(escalation));
        Assert.Contains(new Uri(Link, "n1").ToString(), text);
        Assert.DoesNotContain("441426199003071234", text);
    }

    [Fact]
    public void ADigestCarryingAFirstLevelEscalation_MentionsTheDutyOfficers_WithinWeComsTextLimit()
    {
        var escalation = Escalation();
        var notices = Enumerable.Range(1, 60).Select(i => escalation with { Id = $"n{i}", Title = $"【逾期未报到·第1级督办】人员{i:D3}号" }).ToList();

        var wecom = RobotMessages.Compose(ChannelPlatform.WeCom, notices, _ => Link, ["13800000001"], DateTimeOffset.UnixEpoch, null);
        var ding = RobotMessages.Compose(ChannelPlatform.DingTalk, notices, _ => Link, ["13800000001"], DateTimeOffset.UnixEpoch, null);

        var text = JsonDocument.Parse(wecom.Body).RootElement.GetProperty("text");
        Assert.Equal("13800000001", text.GetProperty("mentioned_mobile_list")[0].GetString());
        Assert.InRange(Encoding.UTF8.GetByteCount(text.GetProperty("content").GetString()!), 1, RobotMessages.WeComTextBytes);
        var dingRoot = JsonDocument.Parse(ding.Body).RootElement;
        Assert.Equal("13800000001", dingRoot.GetProperty("at").GetProperty("atMobiles")[0].GetString());
        Assert.EndsWith("@13800000001", dingRoot.GetProperty("markdown").GetProperty("text").GetString());
        Assert.Empty(RobotMessages.Mentions([escalation with { Level = 2 }], ["13800000001"]));
    }

    [Fact]
    public void AMail_CarriesEachNoticeWhole_WithItsLinkAndId()
    {
        var escalation = Escalation();
        var (subject, body, count) = MailText.Compose([escalation, escalation with { Id = "second", Title = "【逾期未报到·第1级督办】李某某" }], _ => Link);

        Assert.Equal((2, "【通知汇总】2条，其中督办2条"), (count, subject));
        Assert.Contains(escalation.Body, body);
        Assert.Contains("通知编号：second", body);
        Assert.Equal(escalation.Title, MailText.Compose([escalation], _ => Link).Subject);
    }

    [Fact]
    public void TheRateWindow_LetsTheNextMessageGo_OnlyOnceTheOldestLeavesIt()
    {
        var now = new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
        var sent = Enumerable.Range(0, 18).Select(i => now - TimeSpan.FromSeconds(50 - i)).ToList(); // 18 in the last 50 s

        Assert.Equal(now - TimeSpan.FromSeconds(50) + TimeSpan.FromSeconds(61), ChannelLimits.WeCom.NextAllowed(sent, now));
        Assert.Equal(now, ChannelLimits.WeCom.NextAllowed(sent.Skip(1).ToList(), now));
        Assert.Equal(now, ChannelLimits.WeCom.NextAllowed(sent.Select(s => s - TimeSpan.FromSeconds(20)).ToList(), now)); // all older than 61 s
        Assert.Equal(now + TimeSpan.FromSeconds(2) + TimeSpan.FromTicks(TimeSpan.FromMinutes(1).Ticks / 18), ChannelLimits.WeCom.NextAllowed([now + TimeSpan.FromSeconds(2)], now)); // paced
        var burst = Enumerable.Range(0, 4).Select(i => now - TimeSpan.FromMilliseconds(100 * i)).ToList();
        Assert.Equal(now - TimeSpan.FromMilliseconds(300) + TimeSpan.FromMilliseconds(1200), ChannelLimits.Feishu.NextAllowed(burst, now));
    }

    [Theory]
    [InlineData(ChannelPlatform.WeCom, 200, """{"errcode":0,"errmsg":"ok"}""", ChannelOutcomeKind.Sent, 0)]
    [InlineData(ChannelPlatform.WeCom, 200, """{"errcode":45009,"errmsg":"api freq out of limit"}""", ChannelOutcomeKind.RateLimited, 60)]
    [InlineData(ChannelPlatform.WeCom, 200, """{"errcode":93000,"errmsg":"invalid webhook url"}""", ChannelOutcomeKind.Permanent, 0)]
    [InlineData(ChannelPlatform.WeCom, 200, """{"errcode":-1,"errmsg":"system busy"}""", ChannelOutcomeKind.Transient, 0)]
    [InlineData(ChannelPlatform.DingTalk, 200, """{"errcode":130101,"errmsg":"send too fast"}""", ChannelOutcomeKind.RateLimited, 600)]
    [InlineData(ChannelPlatform.DingTalk, 200, """{"errcode":310000,"errmsg":"sign not match"}""", ChannelOutcomeKind.Permanent, 0)]
    [InlineData(ChannelPlatform.Feishu, 200, """{"code":11232,"msg":"frequency limited"}""", ChannelOutcomeKind.RateLimited, 60)]
    [InlineData(ChannelPlatform.Feishu, 200, """{"code":19021,"msg":"sign match fail"}""", ChannelOutcomeKind.Permanent, 0)]
    [InlineData(ChannelPlatform.Feishu, 200, """{"StatusCode":0,"StatusMessage":"success"}""", ChannelOutcomeKind.Sent, 0)]
    [InlineData(ChannelPlatform.Feishu, 429, "", ChannelOutcomeKind.RateLimited, 60)]
    [InlineData(ChannelPlatform.DingTalk, 502, "<html>bad gateway</html>", ChannelOutcomeKind.Uncertain, 0)]
    [InlineData(ChannelPlatform.DingTalk, 503, "<html>unavailable</html>", ChannelOutcomeKind.Transient, 0)]
    [InlineData(ChannelPlatform.WeCom, 200, "<html>proxy</html>", ChannelOutcomeKind.Uncertain, 0)]
    [InlineData(ChannelPlatform.WeCom, 404, "", ChannelOutcomeKind.Permanent, 0)]
    public void APlatformsAnswer_IsReadAsDocumented(ChannelPlatform platform, int status, string body, ChannelOutcomeKind kind, int retryAfterSeconds)
    {
        var outcome = ChannelAnswer.Read(platform, status, body);

        Assert.Equal(kind, outcome.Kind);
        Assert.Equal(retryAfterSeconds == 0 ? null : TimeSpan.FromSeconds(retryAfterSeconds), outcome.RetryAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(25)]
    [InlineData(39)]
    public void ADingTalkDigest_MentionsOnlyWhomItsTextNames_AndOnlyWithAFirstLevelEscalationInIt(int firstLevelAt)
    {
        var escalation = Escalation();
        var notices = Enumerable.Range(0, 40)
            .Select(i => escalation with { Id = $"n{i}", Level = i == firstLevelAt ? 1 : 2, Title = $"【逾期未报到·第{(i == firstLevelAt ? 1 : 2)}级督办】人员{i:D3}号" }).ToList();

        var message = RobotMessages.Compose(ChannelPlatform.DingTalk, notices, _ => Link, ["13800000001"], DateTimeOffset.UnixEpoch, null);

        var root = JsonDocument.Parse(message.Body).RootElement;
        var mentioned = root.GetProperty("at").GetProperty("atMobiles").GetArrayLength() > 0;
        var text = root.GetProperty("markdown").GetProperty("text").GetString()!;
        Assert.Equal(mentioned, text.Contains("@13800000001", StringComparison.Ordinal));
        Assert.True(!mentioned || firstLevelAt < message.Count, "mentioned without a first-level escalation in the message");
    }
}
