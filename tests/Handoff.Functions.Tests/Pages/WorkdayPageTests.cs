using System.Globalization;
using System.Net;
using System.Text.Json;
using Handoff.Functions.Tests.Api;
using Microsoft.Playwright;

namespace Handoff.Functions.Tests.Pages;

/// <summary>
/// A duty officer's day in the pages: what they record is what happened, not when someone clicked (a step's form asks when it
/// happened); a refusal stands beside the row it concerns; a person is listed once; a withdrawal is confirmed. In chromium on the
/// self-host and Azurite, the workflow clock at real time.
/// </summary>
[Collection(BrowserCollection.Name)]
public class WorkdayPageTests(BrowserFixture browser) : ApiTestBase(browser)
{
    [Fact]
    public async Task Office_ReportDatedBeforeTheRelease_IsRefusedBesideItsRow_NotAtTheTop()
    {
        var caseId = await ReleasedAsync(new { kind = "family", name = "张父" });

        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        var row = page.Locator($"#todo-report ~ ul li:has(a[href='/cases/{caseId}'])");
        await row.GetByLabel("报到时间").FillAsync(Date(Today) + "T00:00");
        await row.GetByRole(AriaRole.Button, new() { Name = "已报到" }).ClickAsync();

        row = page.Locator($"#todo-report ~ ul li:has(a[href='/cases/{caseId}'])");
        Assert.Contains("不能早于出所时间", await row.GetByRole(AriaRole.Alert).TextContentAsync());
        Assert.Equal("true", await row.GetByLabel("报到时间").GetAttributeAsync("aria-invalid"));
        Assert.Equal(0, await page.Locator("main > [role=alert]").CountAsync());
        Assert.Equal("released", (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}")).Body.GetProperty("state").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Office_AReportLeftAtItsDrawnTime_IsRecordedWhenSent_AndADoubleClickIsOneStep()
    {
        var caseId = await ReleasedAsync(new { kind = "family", name = "张父" });

        // The drawn value is now to the minute, most often before the release's second: sent as such it would be refused. Left as
        // drawn, the report carries the moment the form arrives.
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        var releasedAt = (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}")).Body.GetProperty("releasedAt").GetDateTimeOffset();
        var row = page.Locator($"#todo-report ~ ul li:has(a[href='/cases/{caseId}'])");
        var before = Api.Time.GetUtcNow();
        await row.GetByRole(AriaRole.Button, new() { Name = "已报到" }).DblClickAsync();
        await page.WaitForURLAsync("**/office?msg=reported");

        var file = (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}")).Body;
        var reportedAt = file.GetProperty("reportedAt").GetDateTimeOffset();
        Assert.InRange(reportedAt, before, Api.Time.GetUtcNow());
        Assert.True(reportedAt >= releasedAt);
        Assert.Single(file.GetProperty("history").EnumerateArray(), h => h.GetProperty("type").GetString() == "ReportRecorded");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Office_APersonNobodyCollected_IsListedOnce_AsNotCollected()
    {
        var caseId = await ReleasedAsync(new { kind = "none" });

        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        // The work list's sections, not the notices about the case in the inbox below them.
        var items = page.Locator($"section:not([aria-labelledby=inbox]) li:has(a[href='/cases/{caseId}'])");
        Assert.Equal(1, await items.CountAsync());
        Assert.Contains("出所无人接回", await items.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Centre_WithdrawsANotice_OnlyOnceTheConfirmationIsTicked()
    {
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        var page = await browser.SignedInAsync("meizhou-centre");
        var row = page.Locator($"tr:has(a[href='/cases/{caseId}'])");
        await row.GetByText("撤销出所通报（登记有误时）").ClickAsync();
        await row.GetByLabel("撤销理由").FillAsync("登记有误");
        await row.GetByRole(AriaRole.Button, new() { Name = "撤销出所通报" }).ClickAsync();
        Assert.EndsWith("/centre", page.Url, StringComparison.Ordinal); // the browser holds the form back: nothing sent
        Assert.Equal("scheduled", (await GetAsync("meizhou-centre", $"/api/cases/{caseId}")).Body.GetProperty("state").GetString());

        await row.GetByLabel("确认撤销", new() { Exact = false }).CheckAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "撤销出所通报" }).ClickAsync();
        await page.WaitForURLAsync("**/centre?msg=cancelled");
        Assert.Equal("cancelled", (await GetAsync("meizhou-centre", $"/api/cases/{caseId}")).Body.GetProperty("state").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignedInLabel_NamesTheOrganisationOnce()
    {
        // Found in the pages: "梅州市强制隔离戒毒所（梅州市强制隔离戒毒所值班人员）".
        var page = await browser.SignedInAsync("meizhou-centre");
        Assert.Equal("梅州市强制隔离戒毒所（值班人员）", (await page.Locator("header .who span").First.InnerTextAsync()).Trim());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CaseFile_ShowsThePlannedDateAndTheActualReleaseApart()
    {
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        var page = await browser.SignedInAsync("meizhou-centre");
        await page.GotoAsync($"/cases/{caseId}");
        var facts = await page.Locator("dl.facts").InnerTextAsync();
        Assert.Contains("计划出所日期", facts);
        Assert.Contains("尚未出所", facts);
        await page.Context.CloseAsync();
    }

    /// <summary>A case registered, acknowledged and released now through the API, collected as <paramref name="collectedBy"/> says.</summary>
    private async Task<string> ReleasedAsync(object collectedBy)
    {
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy })).Status);
        return caseId;
    }
}

/// <summary>The same on the fast clock: a release recorded days after it happened.</summary>
[Collection(BrowserCollection.Name)]
public class WorkdayFastClockPageTests(FastBrowserFixture browser) : ApiTestBase(browser)
{
    [Fact]
    public async Task Centre_RecordsAReleaseDaysAfterItHappened_TheReportDeadlineCountsFromTheRelease_NotTheClick()
    {
        // 20 days ahead (8 s at 200,000×): 4 (under 2 s) was found refused release-date-past on a loaded machine, the clock past it already.
        var registered = await RegisterAsync(daysAhead: 20);
        var caseId = registered.GetProperty("caseId").GetString()!;
        var planned = DateOnly.ParseExact(registered.GetProperty("releaseDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        await ApiFixture.EventuallyAsync(() => Task.FromResult(Today), today => today >= planned.AddDays(10), TimeSpan.FromSeconds(30), "ten days past the planned release");

        var page = await browser.SignedInAsync("meizhou-centre");
        var row = page.Locator($"tr:has(a[href='/cases/{caseId}'])");
        await row.GetByLabel("接回方式").SelectOptionAsync("family");
        await row.GetByLabel("接回人姓名").FillAsync("张父");
        await row.GetByLabel("出所时间").FillAsync(Date(planned) + "T09:00");
        var clickDay = Today;
        await row.GetByRole(AriaRole.Button, new() { Name = "登记出所" }).ClickAsync();
        Assert.Contains("已登记出所", await page.Locator("[role=status]").TextContentAsync());

        var file = (await GetAsync("meizhou-centre", $"/api/cases/{caseId}")).Body;
        Assert.Equal(new DateTimeOffset(planned.ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8)), file.GetProperty("releasedAt").GetDateTimeOffset());
        var report = file.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("step").GetString() == "report");
        var lastDay = DateOnly.ParseExact(report.GetProperty("lastDay").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.True(lastDay >= planned.AddDays(15), $"report deadline {lastDay} is less than 15 days after the release on {planned}");
        Assert.True(lastDay < clickDay.AddDays(15), $"report deadline {lastDay} counts from the click on {clickDay}, not the release on {planned}");

        await page.GotoAsync($"/cases/{caseId}");
        var facts = await page.Locator("dl.facts").InnerTextAsync();
        Assert.Contains($"实际出所时间\n{planned.Year}年{planned.Month}月{planned.Day}日 09:00", facts.Replace("\t", "\n", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ALostPerson_IsNotOfferedFound_WhichWouldChangeNothing_AndIsNotCalledEscalatedWithoutAnEscalation()
    {
        // Found walking the pages: 已找到此人 on a person lost after the 15 days recorded a line and changed nothing (still 脱失, still
        // escalated, counted as lost and found at once); and 在册名单 said 督办中 for a case whose only escalation had ended.
        // 20 days ahead (8 s at 200,000×): 4 (under 2 s) was found refused release-date-past on a loaded machine, the clock past it already.
        var registered = await RegisterAsync(daysAhead: 20);
        var caseId = registered.GetProperty("caseId").GetString()!;
        await ApiFixture.EventuallyAsync(() => GetAsync("meizhou-centre", $"/api/cases/{caseId}"),
            r => r.Body.GetProperty("escalations").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "not-acknowledged"), TimeSpan.FromSeconds(30),
            "the notice not acknowledged in time");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } })).Status);
        var released = await browser.SignedInAsync("pingyuan-dazhe-office");
        await released.GotoAsync("/people");
        var listed = await released.Locator($"tbody tr:has(a[href='/cases/{caseId}'])").InnerTextAsync();
        Assert.DoesNotContain("督办中", listed); // the release ended the only escalation; the missed 签收 stays on the record
        Assert.Contains("有超期环节", listed);
        await released.Context.CloseAsync();
        await ApiFixture.EventuallyAsync(() => GetAsync("meizhou-centre", $"/api/cases/{caseId}"),
            r => r.Body.GetProperty("state").GetString() == "lostContact", TimeSpan.FromSeconds(60), "the person lost after 15 days");

        foreach (var (unit, path, section) in new[] { ("pingyuan-dazhe-office", "/office", "#todo-overdue"), ("pingyuan-dazhe-police", "/police", "#police-search") })
        {
            var page = await browser.SignedInAsync(unit);
            await page.GotoAsync(path);
            var item = page.Locator($"{section} ~ ul li:has(a[href='/cases/{caseId}'])");
            Assert.Equal(1, await item.CountAsync());
            Assert.Equal(0, await item.GetByRole(AriaRole.Button, new() { Name = "已找到此人" }).CountAsync());
            await page.Context.CloseAsync();
        }

        var list = await browser.SignedInAsync("pingyuan-dazhe-office");
        await list.GotoAsync("/people");
        var row = await list.Locator($"tbody tr:has(a[href='/cases/{caseId}'])").InnerTextAsync();
        Assert.Contains("督办中", row); // 逾期未报到 is open
        await list.Context.CloseAsync();
    }

    [Fact]
    public async Task CaseFile_NamesAnEscalationAsTheNoticesDo_AndItsLevelByTheOrganisationItWentTo()
    {
        // Found in the pages: "通知未签收 · 县级督办" where the notice said "衔接通报未签收·第2级督办", and a centre's step called 县级
        // when it went to the city.
        var caseId = (await RegisterAsync(daysAhead: 5)).GetProperty("caseId").GetString()!;
        await ApiFixture.EventuallyAsync(() => GetAsync("meizhou-centre", $"/api/cases/{caseId}"),
            r => r.Body.GetProperty("escalations").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "not-acknowledged" && e.GetProperty("level").GetInt32() >= 2),
            TimeSpan.FromSeconds(30),
            "the unacknowledged notice climbed a level");

        var page = await browser.SignedInAsync("meizhou-centre");
        await page.GotoAsync($"/cases/{caseId}");
        // That escalation's heading (on a busy machine the fast clock may have made the notice late too: a second escalation).
        var title = Handoff.Core.Notices.NoticeComposer.KindTitle(Handoff.Core.Cases.EscalationKind.NotAcknowledged);
        var heading = await page.Locator("#escalations ~ h3", new() { HasText = title }).First.InnerTextAsync();
        Assert.StartsWith(Handoff.Core.Notices.NoticeComposer.KindTitle(Handoff.Core.Cases.EscalationKind.NotAcknowledged), heading, StringComparison.Ordinal);
        Assert.DoesNotContain("县级", heading, StringComparison.Ordinal);

        // The level the page shows (the clock runs on: it may have climbed since), named by the organisations the case says it went to.
        var shown = System.Text.RegularExpressions.Regex.Match(heading, "第(\\d)级（送([^）]+)）");
        Assert.True(shown.Success, heading);
        var level = int.Parse(shown.Groups[1].Value, CultureInfo.InvariantCulture);
        var escalation = (await GetAsync("meizhou-centre", $"/api/cases/{caseId}")).Body.GetProperty("escalations").EnumerateArray()
            .First(e => e.GetProperty("kind").GetString() == "not-acknowledged");
        var directory = (await GetAsync("meizhou-centre", "/api/organisations")).Body.EnumerateArray().ToList();
        var names = escalation.GetProperty("recipients").EnumerateArray().Where(r => r.GetProperty("level").GetInt32() == level)
            .Select(r => directory.Single(o => o.GetProperty("id").GetString() == r.GetProperty("organisationId").GetString()).GetProperty("name").GetString());
        Assert.Equal(string.Join("、", names), shown.Groups[2].Value);
        await page.Context.CloseAsync();
    }
}
