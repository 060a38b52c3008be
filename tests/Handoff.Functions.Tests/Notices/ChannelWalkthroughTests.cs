using System.Net;
using System.Text.Json;
using Handoff.Functions.Tests.Api;

namespace Handoff.Functions.Tests.Notices;

/// <summary>
/// Issue 22 end to end: the self-host as README's walkthrough runs it (the development clock from 2 March 2026 at half a day a second,
/// its background workers on), with 平远县大柘镇's office pointed at a 企业微信 group robot and 平远县禁毒办 at a signed 钉钉 robot — both
/// local stand-ins that check what the platforms check. The missed report reaches the office's group with the duty officer mentioned,
/// climbs to the county's robot, and the report recorded brings the "resolved" message.
/// </summary>
public sealed class ChannelWalkthroughTests(ChannelWalkthroughTests.RobotApiFixture api) : ApiTestBase(api), IClassFixture<ChannelWalkthroughTests.RobotApiFixture>
{
    [Fact]
    public async Task TheWalkthroughsMissedReport_ArrivesAsARobotMessage_ClimbsToTheCounty_AndIsResolved()
    {
        var robots = api.Robots;
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } })).Status);

        // 15 days (and a holiday roll) at half a day a second: the report is missed about 30-40 s later.
        var office = await robots.WaitForAsync(d => d.Robot == "office-key" && d.Body.Contains("逾期未报到", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        var message = JsonDocument.Parse(office.Body).RootElement;
        Assert.Equal("text", message.GetProperty("msgtype").GetString()); // a first-level escalation mentions the duty officer
        Assert.Equal("13800000001", message.GetProperty("text").GetProperty("mentioned_mobile_list")[0].GetString());
        var content = message.GetProperty("text").GetProperty("content").GetString()!;
        Assert.Contains("第1级督办", content, StringComparison.Ordinal);
        Assert.Contains("截止时间", content, StringComparison.Ordinal);
        Assert.Contains("《戒毒条例》第三十八条", content, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:7071/cases/{caseId}", content, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{17}[\dXx]", content);

        // A day later it climbs to the county (平远县禁毒办), whose channel is configured as pingyuan_nco: App Service's spelling.
        var county = await robots.WaitForAsync(d => d.Robot == "county-token" && d.Body.Contains(caseId, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Contains("逾期未报到", county.Body, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/report")).Status);
        await robots.WaitForAsync(d => d.Robot == "office-key" && d.Body.Contains("督办已解除", StringComparison.Ordinal) && d.Body.Contains(caseId, StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        Assert.Empty(robots.Rejected);
        Assert.Equal(0, robots.OverLimit("office-key"));
        using var operatorClient = api.Client(null);
        operatorClient.DefaultRequestHeaders.Add("X-Api-Key", "dev-operator");
        var detail = JsonDocument.Parse(await operatorClient.GetStringAsync(new Uri("/healthz", UriKind.Relative))).RootElement;
        Assert.Equal(2, detail.GetProperty("channels").GetProperty("configured").GetInt32());
        Assert.Equal(0, detail.GetProperty("channels").GetProperty("failing").GetArrayLength());
    }

    /// <summary>The walkthrough's clock, the workers on, and two robots of a <see cref="FakeRobotServer"/> configured as channels.</summary>
    public sealed class RobotApiFixture : ApiFixture
    {
        protected override bool UsesRobots => true;

        protected override double Speed => 43_200;

        protected override TimeSpan Grace => TimeSpan.MinValue;

        protected override TimeSpan? PollingInterval => null;

        protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
        {
            ["Handoff__Workers__Enabled"] = "true",
            ["Handoff__Channels__pingyuan-dazhe-office__WeCom__Url"] = Robots.AddWeComRobot("office-key").ToString(),
            ["Handoff__Channels__pingyuan-dazhe-office__Mentions"] = "13800000001",
            ["Handoff__Channels__pingyuan_nco__DingTalk__Url"] = Robots.AddDingTalkRobot("county-token", "SEC-county", keyword: "督办").ToString(),
            ["Handoff__Channels__pingyuan_nco__DingTalk__Secret"] = "SEC-county",
        };
    }
}
