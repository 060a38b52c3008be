using System.Text.Json;
using Handoff.Functions.Tests.Api;
using Microsoft.Playwright;

namespace Handoff.Functions.Tests.Pages;

/// <summary>
/// Issue 22's page, in chromium: an office's duty officer sees its 企业微信 robot (the key masked), sends a test message that arrives in
/// the group, and sees a robot that refuses the key marked 异常 with the platform's code — at a desktop's and a phone's width.
/// </summary>
public sealed class ChannelPagesTests(ChannelPagesTests.RobotBrowserFixture browser) : ApiTestBase(browser), IClassFixture<ChannelPagesTests.RobotBrowserFixture>
{
    [Fact]
    public async Task TheDutyOfficer_SeesTheChannel_SendsATestMessage_AndSeesAFailure()
    {
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        await page.GotoAsync("/office");
        await page.GetByRole(AriaRole.Link, new() { Name = "通知渠道" }).ClickAsync();

        var card = page.Locator("section.card", new() { HasText = "企业微信" });
        await Assertions.Expect(card).ToContainTextAsync("key=of********"); // the key masked
        Assert.DoesNotContain("office-key", await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(card).ToContainTextAsync("督办");
        await Assertions.Expect(page.GetByText("138****0001")).ToBeVisibleAsync();
        await Assertions.Expect(card).ToContainTextAsync("尚未发送");

        await card.GetByRole(AriaRole.Button, new() { Name = "发送测试消息" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("测试消息已排队");
        var test = await browser.Robots.WaitForAsync(d => d.Robot == "office-key", TimeSpan.FromSeconds(30));
        Assert.Contains("【测试消息】平远县大柘镇戒毒康复服务中心·企业微信", test.Body, StringComparison.Ordinal);
        Assert.Contains("/channels", test.Body, StringComparison.Ordinal);
        await EventuallyShowsAsync(page, card, "正常");
        await Assertions.Expect(card).ToContainTextAsync("1 条通知");

        // The group's robot is deleted and its key no longer works: the next message is given up at once, and the page says why.
        browser.Robots.FailNext("office-key", 1, 93000);
        await card.GetByRole(AriaRole.Button, new() { Name = "发送测试消息" }).ClickAsync();
        await EventuallyShowsAsync(page, card, "异常");
        await Assertions.Expect(card).ToContainTextAsync("93000");
        await Assertions.Expect(card).ToContainTextAsync("放弃 1 条");

        foreach (var (width, height, suffix) in new[] { (1366, 768, "desktop"), (390, 844, "phone") })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ReloadAsync();
            var file = Path.Combine(BrowserFixture.Screenshots, $"channels-{suffix}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            if (suffix == "desktop" && Environment.GetEnvironmentVariable("HANDOFF_UPDATE_SCREENSHOTS") == "1")
            {
                File.Copy(file, Path.Combine(BrowserFixture.Root, "docs", "screenshots", "channels.png"), overwrite: true);
            }

            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, $"the page scrolls sideways at {width}px");
        }

        var health = JsonDocument.Parse(await OperatorAsync("/healthz")).RootElement;
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains(health.GetProperty("channels").GetProperty("failing").EnumerateArray(), f => f.GetProperty("lastError").GetString()!.Contains("93000", StringComparison.Ordinal));
    }

    private async Task<string> OperatorAsync(string path)
    {
        using var client = browser.Client(null);
        client.DefaultRequestHeaders.Add("X-Api-Key", "dev-operator");
        return await client.GetStringAsync(new Uri(path, UriKind.Relative));
    }

    private static async Task EventuallyShowsAsync(IPage page, ILocator card, string text)
    {
        for (var i = 0; i < 60 && !(await card.InnerTextAsync()).Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        await Assertions.Expect(card).ToContainTextAsync(text);
    }

    /// <summary>The browser fixture with the background workers on and 平远县大柘镇's office pointed at a local 企业微信 robot.</summary>
    public sealed class RobotBrowserFixture : BrowserFixture
    {
        protected override bool UsesRobots => true;

        protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
        {
            ["Handoff__Workers__Enabled"] = "true",
            ["Handoff__Channels__pingyuan-dazhe-office__WeCom__Url"] = Robots.AddWeComRobot("office-key").ToString(),
            ["Handoff__Channels__pingyuan-dazhe-office__Mentions"] = "13800000001",
        };
    }
}
