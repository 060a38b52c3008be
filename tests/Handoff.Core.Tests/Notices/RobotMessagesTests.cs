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
        var ding = JsonDocument.Parse(RobotMessages.DingTalk(notice, Link, ["13800000000"])).RootElement;
        Assert.Equal("actionCard", ding.GetProperty("msgtype").GetString());
        Assert.Equal(Link.ToString(), ding.GetProperty("actionCard").GetProperty("singleURL").GetString());
        Assert.Equal("13800000000", ding.GetProperty("at").GetProperty("atMobiles")[0].GetString());
        Assert.Contains("@13800000000", ding.GetProperty("actionCard").GetProperty("text").GetString());

        var feishu = JsonDocument.Parse(RobotMessages.Feishu(notice, Link, 1765090800, "SEC0123456789abcdef")).RootElement;
        Assert.Equal("1765090800", feishu.GetProperty("timestamp").GetString());
        Assert.Equal(RobotSignatures.Feishu(1765090800, "SEC0123456789abcdef"), feishu.GetProperty("sign").GetString());
        Assert.Contains(notice.Title, feishu.GetProperty("content").GetProperty("text").GetString());
    }
}
