using System.Text.Json;
using Handoff.Functions.Tests.Api;
using Handoff.Testing;
using Microsoft.Playwright;

namespace Handoff.Functions.Tests.Pages;

/// <summary>
/// Every page scanned with axe-core (the npm lock file's version, injected into the page) at a desktop's 1366×768 and a phone's
/// 390×844: no serious or critical violation. A screenshot of each is saved under artifacts/screenshots; with
/// <c>HANDOFF_UPDATE_SCREENSHOTS=1</c> the desktop ones are also written to docs/screenshots for the README.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AccessibilityTests(BrowserFixture browser) : ApiTestBase(browser)
{
    public static TheoryData<string, string?, string> Pages => new()
    {
        { "signin", null, "/signin" },
        { "centre", "meizhou-centre", "/centre" },
        { "register", "meizhou-centre", "/centre/register" },
        { "register-refused", "meizhou-centre", "submit:/centre/register" },
        { "case-file", "meizhou-centre", "/cases/{case}" },
        { "office", "pingyuan-dazhe-office", "/office" },
        { "inbox", "pingyuan-dazhe-office", "/inbox" },
        { "inbox-centre", "meizhou-centre", "/inbox" },
        { "people", "pingyuan-dazhe-office", "/people" },
        { "channels-none", "meizhou-centre", "/channels" },
        { "police", "pingyuan-dazhe-police", "/police" },
        { "deciding-organ", "meizhou-psb", "/police" },
        { "supervisor", "guangdong-nco", "/supervisor" },
        { "supervisor-cases", "guangdong-nco", "/supervisor/cases?measure=registered" },
        { "not-found", "shaoguan-centre", "/cases/{case}" },
        { "decision", "meizhou-psb", "/police/decision" },
        { "decision-refused", "meizhou-psb", "submit:/police/decision" },
        { "chain-intake", "meizhou-psb-centre", "/cases/{decided}" },
        { "chain-release-notice", "meizhou-centre", "/cases/{held}" },
        { "community-order", "meizhou-psb", "/police/order" },
        { "community-order-refused", "meizhou-psb", "submit:/police/order" },
        { "community-file", "pingyuan-dazhe-office", "/cases/{community}" },
        { "community-file-police", "meizhou-psb", "/cases/{community}" },
        { "chain-community-change", "meizhou-psb", "/cases/{tocommunity}" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_HasNoSeriousOrCriticalViolations_OnADesktopAndAPhone(string name, string? organisation, string path)
    {
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        path = path.Replace("{case}", caseId, StringComparison.Ordinal);
        if (path.Contains("{decided}", StringComparison.Ordinal))
        {
            path = path.Replace("{decided}", await DecidedAsync("meizhou-psb-centre"), StringComparison.Ordinal);
        }

        if (path.Contains("{held}", StringComparison.Ordinal))
        {
            var held = await DecidedAsync("meizhou-centre");
            Assert.Equal(System.Net.HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{held}/steps/intake")).Status);
            path = path.Replace("{held}", held, StringComparison.Ordinal);
        }

        if (path.Contains("{tocommunity}", StringComparison.Ordinal))
        {
            // Out for treatment, the centre proposing 社区戒毒 (戒毒条例 31②): the deciding organ's form to decide it.
            var held = await DecidedAsync("meizhou-centre");
            foreach (var (step, stepBody) in new (string, object?)[]
                     {
                         ("steps/intake", null), ("steps/medical-leave", new { reason = "住院治疗" }), ("steps/term-proposal", new { kind = "to-community", reason = "不宜回所" }),
                     })
            {
                var (ok, problem) = await PostAsync("meizhou-centre", $"/api/cases/{held}/{step}", stepBody);
                Assert.True(ok == System.Net.HttpStatusCode.OK, problem.GetRawText());
            }

            path = path.Replace("{tocommunity}", held, StringComparison.Ordinal);
        }

        if (path.Contains("{community}", StringComparison.Ordinal))
        {
            path = path.Replace("{community}", await UnderWayAsync(), StringComparison.Ordinal);
        }

        foreach (var (width, height, suffix) in new[] { (1366, 768, "desktop"), (390, 844, "phone") })
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = browser.BaseAddress!.ToString(),
                ViewportSize = new ViewportSize { Width = width, Height = height },
                Locale = "zh-CN",
                BypassCSP = true, // only so that the test can inject axe; the pages themselves run under their CSP
            });
            var page = await context.NewPageAsync();
            if (organisation is not null)
            {
                await page.GotoAsync($"/signin/dev/{organisation}");
            }

            if (path.StartsWith("submit:", StringComparison.Ordinal))
            {
                await page.GotoAsync(path["submit:".Length..]);
                var button = path.Contains("decision", StringComparison.Ordinal) ? "登记决定并通知戒毒所"
                    : path.Contains("order", StringComparison.Ordinal) ? "登记决定并通知工作站和派出所" : "登记并发出出所通知";
                await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            }
            else
            {
                await page.GotoAsync(path);
            }

            Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
            var file = Path.Combine(BrowserFixture.Screenshots, $"{name}-{suffix}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            if (suffix == "desktop" && Environment.GetEnvironmentVariable("HANDOFF_UPDATE_SCREENSHOTS") == "1")
            {
                File.Copy(file, Path.Combine(BrowserFixture.Root, "docs", "screenshots", $"{name}.png"), overwrite: true);
            }

            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = Path.Combine(BrowserFixture.Root, "node_modules", "axe-core", "axe.min.js") });
            var violations = await page.EvaluateAsync<JsonElement>("""
                async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                    .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))
                """);
            var serious = violations.EnumerateArray().Where(v => v.GetProperty("impact").GetString() is "serious" or "critical").ToList();
            Assert.True(serious.Count == 0, $"{name} at {width}×{height}: " + string.Join("; ", serious.Select(v => v.ToString())));
            await context.CloseAsync();
        }
    }

    /// <summary>A 社区戒毒 order by 梅州市公安局 to 平远县大柘镇, reported and signed, with a test evaded and an absence without leave: its case id.</summary>
    private async Task<string> UnderWayAsync()
    {
        var (status, body) = await PostAsync("meizhou-psb", "/api/community-orders", new
        {
            person = new { name = "钱某", idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426" },
            orderNumber = "梅公（禁）社戒字〔2026〕5号",
            decidedOn = Date(Handoff.Core.Time.ChinaTime.LocalDate(Api.Time.GetUtcNow())),
            servedAt = Api.Time.GetUtcNow(),
            officeId = "pingyuan-dazhe-office",
            policeStationId = "pingyuan-dazhe-police",
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        var id = body.GetProperty("caseId").GetString()!;
        foreach (var (step, stepBody) in new (string, object?)[]
                 {
                     ("acknowledgement", null), ("report", null), ("agreement", null), ("steps/test", new { result = "missed" }),
                     ("steps/absence", new { leftOn = Date(Today), writtenReport = false }),
                 })
        {
            var (ok, problem) = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{id}/{step}", stepBody);
            Assert.True(ok == System.Net.HttpStatusCode.OK, problem.GetRawText());
        }

        return id;
    }

    /// <summary>A 强制隔离戒毒 decision by 梅州市公安局 delivering a new person to <paramref name="centre"/>: its case id.</summary>
    private async Task<string> DecidedAsync(string centre)
    {
        var (status, body) = await PostAsync("meizhou-psb", "/api/decisions", new
        {
            person = new { name = "孙某", idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426" },
            decisionNumber = "梅公（禁）决字〔2026〕3号",
            decidedOn = Date(Today),
            servedAt = Api.Time.GetUtcNow(),
            centreId = centre,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        return body.GetProperty("caseId").GetString()!;
    }
}
