using System.Net;
using Handoff.Functions.Tests.Api;
using Microsoft.Playwright;

namespace Handoff.Functions.Tests.Pages;

/// <summary>
/// A report missed (the development clock at 200,000× real time: 15 legal days in seconds) reaches the supervisors' dashboards from the
/// figures the activity keeps, the office's work list, the "read" mark and the overdue CSV.
/// </summary>
[Collection(BrowserCollection.Name)]
public class SupervisorPageTests(FastBrowserFixture browser) : ApiTestBase(browser)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task MissedReport_AppearsOnTheDashboards_TheWorkList_AndInTheCsv_AndIsMarkedRead()
    {
        var caseId = (await RegisterAsync(daysAhead: 4)).GetProperty("caseId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } })).Status);
        await ApiFixture.EventuallyAsync(() => GetAsync("pingyuan-nco", $"/api/cases/{caseId}"),
            c => c.Body.TryGetProperty("escalations", out var e) && e.EnumerateArray().Any(x => x.GetProperty("kind").GetString() == "not-reported"
                && x.GetProperty("recipients").EnumerateArray().Any(r => r.GetProperty("organisationId").GetString() == "pingyuan-nco")),
            Patience, "the missed report escalated to the county supervisor");

        var county = await browser.SignedInAsync("pingyuan-nco");
        Assert.EndsWith("/supervisor", county.Url, StringComparison.Ordinal);
        var lost = int.Parse(await county.Locator(".figure:has(.label:text-is('当前脱失（人）')) .value").TextContentAsync() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(lost >= 1, $"lost now: {lost}");
        var row = county.Locator($"section:has(#open-escalations) tr:has(a[href='/cases/{caseId}'])").First;
        Assert.Contains("逾期未报到", await row.InnerTextAsync()); // the notices' name for the escalation, on every page
        await row.GetByRole(AriaRole.Button, new() { Name = "已阅" }).ClickAsync();
        Assert.Contains("已阅", await county.Locator("[role=status]").TextContentAsync());

        // The figure links to the cases behind it.
        await county.Locator(".figure:has(.label:text-is('当前脱失（人）')) a").ClickAsync();
        Assert.Contains("当前脱失", await county.Locator("h1").TextContentAsync());
        Assert.True(await county.Locator($"a[href='/cases/{caseId}']").CountAsync() == 1);

        var office = await browser.SignedInAsync("pingyuan-dazhe-office");
        var overdue = office.Locator("section:has(#todo-overdue)");
        Assert.True(await overdue.Locator($"a[href='/cases/{caseId}']").CountAsync() == 1, await overdue.InnerTextAsync());

        var province = await browser.SignedInAsync("guangdong-nco");
        var csv = await province.APIRequest.GetAsync("/supervisor/overdue.csv");
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        var bytes = await csv.BodyAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains(caseId, text);
        Assert.Contains("逾期未报到", text);

        foreach (var page in new[] { county, office, province })
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Quarter_IsTheCalendarQuarter()
    {
        // Officials report on calendar quarters: 2026年第1季度 is 1 January to 31 March, not the ISO weeks from 29 December.
        var province = await browser.SignedInAsync("guangdong-nco");
        await province.GotoAsync("/supervisor?period=quarter&year=2026&n=1");

        var text = await province.Locator("main").InnerTextAsync();
        Assert.Contains("2026年1月1日", text);
        Assert.Contains("2026年3月31日", text);
        await province.Context.CloseAsync();
    }

    [Fact]
    public async Task Trend_PlotsNothingAfterToday()
    {
        var province = await browser.SignedInAsync("guangdong-nco");
        await province.GotoAsync("/supervisor?period=year&year=2100");

        using var trend = System.Text.Json.JsonDocument.Parse(await province.Locator("#trend-data").TextContentAsync() ?? "{}");
        Assert.Equal(0, trend.RootElement.GetProperty("labels").GetArrayLength());
        await province.Context.CloseAsync();
    }

    [Fact]
    public async Task County_ListsEachCommunityOffice()
    {
        // A county's drill-down goes down to its offices, as a city's goes to its counties and a province's to its cities.
        var county = await browser.SignedInAsync("pingyuan-nco");

        var rows = county.Locator("section:has(#by-region) tbody th[scope=row]");
        Assert.Contains("平远县大柘镇戒毒康复服务中心", await rows.AllInnerTextsAsync());
        await county.Context.CloseAsync();
    }
}
