using System.Net;
using System.Net.Http.Json;
using Handoff.Functions.Tests.Api;
using Handoff.Testing;
using Microsoft.Playwright;

namespace Handoff.Functions.Tests.Pages;

/// <summary>
/// Every unit works from its own pages: an inbox with 已阅 for every organisation (the centre and the police too), a complete and
/// searchable list of its people through every stage, the person kept in view between 签收 and the release, and pages of their own for
/// police stations and deciding organs. In chromium on the self-host and Azurite, the workflow clock at real time.
/// </summary>
[Collection(BrowserCollection.Name)]
public class UnitPagesTests(BrowserFixture browser) : ApiTestBase(browser)
{
    [Fact]
    public async Task Centre_SeesItsOwnLateNotice_InItsInbox_AndItsReadingIsInTheFile()
    {
        // Found in the pages: the centre's own escalations appeared on none of its pages, and it could not mark them read.
        var (caseId, name, _) = await RegisterNamedAsync(daysAhead: 1);
        var page = await browser.SignedInAsync("meizhou-centre");
        await page.GotoAsync("/inbox");
        var item = page.Locator($"li.notice:has(a[href='/cases/{caseId}']):has-text('出所衔接通报逾期')");
        await ApiFixture.EventuallyAsync(async () => { await page.ReloadAsync(); return await item.CountAsync(); }, n => n == 1, TimeSpan.FromSeconds(20), "the late notice in the centre's inbox");
        Assert.Contains(name, await item.InnerTextAsync());
        await item.GetByRole(AriaRole.Button, new() { Name = "已阅" }).ClickAsync();
        await page.WaitForURLAsync("**/inbox?msg=read");

        await page.GotoAsync($"/cases/{caseId}");
        Assert.Contains("梅州市强制隔离戒毒所（第1级），", await page.Locator("#escalations ~ ul li", new() { HasText = "梅州市强制隔离戒毒所" }).First.InnerTextAsync());
        Assert.DoesNotContain("未阅", await page.Locator("#escalations ~ ul li", new() { HasText = "梅州市强制隔离戒毒所" }).First.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Office_MarksAnOrdinaryNoticeRead_AndTheInboxNamesThePerson()
    {
        var (caseId, name, _) = await RegisterNamedAsync();
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        await page.GotoAsync("/inbox");
        var item = page.Locator($"li.notice:has(a[href='/cases/{caseId}'])");
        Assert.Contains(name, await item.Locator("a").First.InnerTextAsync());
        Assert.Contains("未阅", await item.InnerTextAsync());
        await item.GetByRole(AriaRole.Button, new() { Name = "已阅" }).ClickAsync();
        await page.WaitForURLAsync("**/inbox?msg=read");
        item = page.Locator($"li.notice:has(a[href='/cases/{caseId}'])");
        Assert.Contains("已阅", await item.InnerTextAsync());
        Assert.Equal(0, await item.GetByRole(AriaRole.Button, new() { Name = "已阅" }).CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Inbox_Pages_NewestFirst()
    {
        for (var i = 0; i < 3; i++)
        {
            await RegisterNamedAsync();
        }

        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        await page.GotoAsync("/inbox?take=2");
        Assert.Equal(2, await page.Locator("li.notice").CountAsync());
        var first = await page.Locator("li.notice").First.InnerTextAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
        Assert.Equal(2, await page.Locator("li.notice").CountAsync());
        Assert.NotEqual(first, await page.Locator("li.notice").First.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Inbox_ShowsTheEscalationsAlone_SoAFewAreNotBuriedUnderOrdinaryNotices()
    {
        // Found walking the pages: 47 ordinary and level-2 notices in one night pushed a 逾期未报到 to page 3.
        var (caseId, _, _) = await RegisterNamedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "none" } })).Status);
        for (var i = 0; i < 3; i++)
        {
            await RegisterNamedAsync(); // newer ordinary notices on top of the escalation
        }

        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        await page.GotoAsync("/inbox?take=2");
        await page.GetByLabel("只看督办", new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        Assert.Equal(1, await page.Locator($"li.notice:has(a[href='/cases/{caseId}']):has-text('出所无人接回')").CountAsync());
        Assert.All(await page.Locator("li.notice > a").AllInnerTextsAsync(), t => Assert.Contains("督办", t));
        Assert.True(await page.GetByLabel("只看督办", new() { Exact = false }).IsCheckedAsync()); // the filter keeps what was chosen
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Office_KeepsAnAcknowledgedPersonInView_UntilTheRelease()
    {
        // Found in the pages: after 签收 the person vanished from the office's pages until the release, when the pickup is arranged.
        var (caseId, _, _) = await RegisterNamedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        var item = page.Locator($"#todo-pickup ~ ul li:has(a[href='/cases/{caseId}'])");
        Assert.Equal(1, await item.CountAsync());
        // Found walking the pages: the badge beside it was the centre's 登记出所 deadline, which the office cannot act on.
        Assert.Contains("距出所还有10天", await item.InnerTextAsync());
        Assert.Equal(0, await item.Locator(".badge").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Office_ToAcknowledge_SaysWhichDeadlineItsBadgeIs()
    {
        // Found walking the pages: "计划2026年3月5日出所[已超期]" read as a release overdue; the badge was the 签收 deadline.
        var (caseId, _, _) = await RegisterNamedAsync();
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        var item = page.Locator($"#todo-ack ~ ul li:has(a[href='/cases/{caseId}'])");
        Assert.Contains("签收期限", await item.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task People_AMistypedIdNumber_IsSaidToBeOne_NotSearchedAsAName()
    {
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        await page.GotoAsync("/people");
        var valid = TestData.UniqueIdNumber();
        var wrong = valid[..17] + (valid[17] == '0' ? '1' : '0');
        await page.GetByLabel("姓名或公民身份号码", new() { Exact = false }).FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        Assert.Contains("公民身份号码有误", await page.Locator("#q-error").InnerTextAsync());
        Assert.DoesNotContain("姓名含", await page.Locator("#people").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task EveryUnit_FindsAPerson_ByNameOrIdNumber_AfterTheAgreementToo()
    {
        var (caseId, name, idNumber) = await RegisterNamedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/report")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/agreement")).Status);

        foreach (var unit in new[] { "pingyuan-dazhe-office", "pingyuan-dazhe-police", "meizhou-psb", "meizhou-centre", "pingyuan-nco" })
        {
            var page = await browser.SignedInAsync(unit);
            await page.GotoAsync("/people");
            await page.GetByLabel("姓名或公民身份号码").FillAsync(name);
            await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
            Assert.Equal(1, await page.Locator($"tbody tr:has(a[href='/cases/{caseId}'])").CountAsync());
            Assert.Equal(name, await page.GetByLabel("姓名或公民身份号码").InputValueAsync()); // the search keeps what was typed

            await page.GetByLabel("姓名或公民身份号码").FillAsync(idNumber);
            await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
            Assert.Equal(1, await page.Locator("tbody tr").CountAsync());
            Assert.Equal(1, await page.Locator($"tbody tr:has(a[href='/cases/{caseId}'])").CountAsync());
            Assert.DoesNotContain(idNumber, page.Url, StringComparison.Ordinal); // a clear number is never put in an address or a log
            await page.Context.CloseAsync();
        }

        var stranger = await browser.SignedInAsync("shaoguan-centre");
        await stranger.GotoAsync("/people");
        await stranger.GetByLabel("姓名或公民身份号码").FillAsync(name);
        await stranger.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        Assert.Equal(0, await stranger.Locator($"tbody tr:has(a[href='/cases/{caseId}'])").CountAsync());
        await stranger.Context.CloseAsync();
    }

    [Fact]
    public async Task People_FilterByStage_KeepsTheChosenStage()
    {
        var (caseId, _, _) = await RegisterNamedAsync();
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        await page.GotoAsync("/people");
        await page.GetByLabel("阶段").SelectOptionAsync("scheduled");
        await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        Assert.Equal("scheduled", await page.GetByLabel("阶段").InputValueAsync());
        Assert.Equal(1, await page.Locator($"tbody tr:has(a[href='/cases/{caseId}'])").CountAsync());
        await page.GetByLabel("阶段").SelectOptionAsync("released");
        await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        Assert.Equal(0, await page.Locator($"tbody tr:has(a[href='/cases/{caseId}'])").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PoliceStation_HasAPageOfItsOwn_WithThePeopleToLookFor()
    {
        // Found in the pages: police stations landed on the office's 待办, with 签收 and 协议 sections that are not theirs.
        var (caseId, _, _) = await RegisterNamedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "none" } })).Status);

        var page = await browser.SignedInAsync("pingyuan-dazhe-police");
        await page.GotoAsync("/home");
        Assert.EndsWith("/police", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#todo-ack, #todo-agreement").CountAsync());
        var item = page.Locator($"#police-search ~ ul li:has(a[href='/cases/{caseId}'])");
        Assert.Equal(1, await item.CountAsync());
        Assert.Equal(1, await item.GetByRole(AriaRole.Button, new() { Name = "已找到此人" }).CountAsync());

        var office = await browser.SignedInAsync("pingyuan-dazhe-police");
        Assert.Equal(403, (await office.GotoAsync("/office"))!.Status);
        await office.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DecidingOrgan_SeesThePeopleItDecidedOn_WithoutActionsItCannotTake()
    {
        var (caseId, _, _) = await RegisterNamedAsync();
        var page = await browser.SignedInAsync("meizhou-psb");
        await page.GotoAsync("/home");
        Assert.EndsWith("/police", page.Url, StringComparison.Ordinal);
        var item = page.Locator($"#police-coming ~ ul li:has(a[href='/cases/{caseId}'])");
        Assert.Equal(1, await item.CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button).Filter(new() { HasText = "签收" }).CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CaseFile_TellsItsHistoryInPlainWords_AndPrintsAsARecord()
    {
        // Found in the pages: "设定期限" up to five times per step, "凭据 dev:…", "督办上升一级" without saying to whom; the print had no
        // case number, print time or unit, and a live "剩N天".
        var (caseId, _, _) = await RegisterNamedAsync(daysAhead: 1);
        var page = await browser.SignedInAsync("meizhou-centre");
        await page.GotoAsync($"/cases/{caseId}");
        var history = await page.Locator("#history ~ ol").InnerTextAsync();
        Assert.DoesNotContain("凭据", await page.Locator("main").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#history ~ ol > li", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\S+ 设定期限") }).CountAsync());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(history, "设定期限"));
        Assert.Contains("开始督办：出所衔接通报逾期，通知", history);

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var head = await page.Locator(".record-head").InnerTextAsync();
        Assert.Contains(caseId, head);
        Assert.Contains("打印单位 梅州市强制隔离戒毒所", head);
        Assert.Contains("打印时间", head);
        Assert.DoesNotContain("剩", await page.Locator("#deadlines ~ div table").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OnAPhone_TheCentresReleaseButtonIsOnScreen_AndTheDeadlinesReadAsLines()
    {
        // Found in the pages: at a phone's width the centre's table hid 登记出所 off-screen and the deadline column wrapped one
        // character a line.
        var (caseId, _, _) = await RegisterNamedAsync();
        var page = await browser.SignedInAsync("meizhou-centre", 390, 844);
        var row = page.Locator($"tr:has(a[href='/cases/{caseId}'])");
        var button = await row.GetByRole(AriaRole.Button, new() { Name = "登记出所" }).BoundingBoxAsync();
        Assert.NotNull(button);
        Assert.True(button.X >= 0 && button.X + button.Width <= 390, $"登记出所 at x={button.X}, width {button.Width}");
        var deadlines = await row.Locator("td").Nth(3).BoundingBoxAsync();
        Assert.True(deadlines!.Width >= 200, $"the deadlines are {deadlines.Width}px wide");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CaseFile_NamesTheOfficerWhoSignedIn_ForAStepTakenInThePages()
    {
        var (caseId, _, _) = await RegisterNamedAsync();
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        var row = page.Locator($"#todo-ack ~ ul li:has(a[href='/cases/{caseId}'])");
        await row.GetByRole(AriaRole.Button, new() { Name = "签收" }).ClickAsync();
        await page.WaitForURLAsync("**/office?msg=*");
        await page.GotoAsync($"/cases/{caseId}");
        var line = page.Locator("#history ~ ol > li", new() { HasText = "工作站签收出所通知" });
        Assert.Contains("平远县大柘镇戒毒康复服务中心（值班人员", await line.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Province_ListsItsCentresOwnEscalation_WhenThePersonGoesToAnotherProvince()
    {
        // Found reviewing the figures: the dashboard's 督办中的案件 and the CSV chose cases by the receiving office's region only, so a
        // 梅州 centre's late notice of a person going to 贵阳 was counted for 广东 and listed nowhere in it.
        var response = await Api.Client("meizhou-centre").PostAsJsonAsync("/api/releases", new
        {
            person = new { name = "跨省某", idNumber = TestData.UniqueIdNumber(), registeredRegion = "520102", residenceRegion = "520102" },
            releaseDate = Date(Today.AddDays(1)),
            releaseType = "expiry",
            rehabilitationYears = 3,
            receivingOfficeId = "nanming-office",
            policeStationId = "nanming-police",
            decisionAuthorityId = "meizhou-psb",
        });
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        var caseId = body.GetProperty("caseId").GetString()!;

        var page = await browser.SignedInAsync("guangdong-nco");
        await ApiFixture.EventuallyAsync(
            async () => { await page.GotoAsync("/supervisor"); return await page.Locator($"#open-escalations ~ div a[href='/cases/{caseId}']").CountAsync(); },
            n => n > 0, TimeSpan.FromSeconds(20), "the centre's late notice listed for its province");
        var csv = await page.Context.APIRequest.GetAsync("/supervisor/overdue.csv");
        Assert.Contains(caseId, await csv.TextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Province_SeesADuplicateRegistration_WithTheTwoSideBySide()
    {
        // Found in the pages: the 重复登记提示 sent to the province appeared on no page.
        var (caseId, name, idNumber) = await RegisterNamedAsync();
        var again = await Api.Client("shaoguan-centre").PostAsJsonAsync("/api/releases", new
        {
            person = new { name, idNumber, registeredRegion = "441426", residenceRegion = "441426" },
            releaseDate = Date(Today.AddDays(20)),
            releaseType = "expiry",
            rehabilitationYears = 2,
            receivingOfficeId = "pingyuan-dazhe-office",
            policeStationId = "pingyuan-dazhe-police",
            decisionAuthorityId = "shaoguan-psb",
        });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var page = await browser.SignedInAsync("guangdong-nco");
        await page.GotoAsync("/inbox");
        var item = page.Locator($"li.notice:has-text('重复登记提示'):has(a[href='/cases/{caseId}'])");
        var table = item.Locator("table.duplicate");
        Assert.Equal(1, await table.CountAsync());
        var text = await table.InnerTextAsync();
        Assert.Contains("梅州市强制隔离戒毒所", text);
        Assert.Contains("韶关", text);
        foreach (var release in new[] { Today.AddDays(10), Today.AddDays(20) })
        {
            Assert.Contains($"{release.Year}年{release.Month}月{release.Day}日", text);
        }

        Assert.Equal(2, await table.Locator("thead th[scope=col]").CountAsync() - 1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Centre_ARefusedPostponement_IsShownOpen_AndTheTopOfThePagePointsToIt()
    {
        // Found walking the pages: on a long list the refusal stood inside the closed 变更出所日期, 32,000 px down, with nothing at the top.
        var (caseId, _, _) = await RegisterNamedAsync();
        var page = await browser.SignedInAsync("meizhou-centre");
        var row = page.Locator($"tr:has(a[href='/cases/{caseId}'])");
        await row.GetByText("变更出所日期").First.ClickAsync();
        await row.GetByLabel("新的出所日期").FillAsync(Date(Today.AddDays(5)));
        await row.GetByLabel("变更理由").FillAsync("提前");
        await row.GetByRole(AriaRole.Button, new() { Name = "变更出所日期" }).ClickAsync();
        await page.WaitForURLAsync("**/centre?err=*");

        row = page.Locator($"tr:has(a[href='/cases/{caseId}'])");
        Assert.Equal(1, await row.Locator("details[open] [role=alert]").CountAsync());
        var pointer = page.Locator($"main > p.flash a[href='#row-{caseId}']");
        Assert.Equal(1, await pointer.CountAsync());
        Assert.Equal(1, await page.Locator($"#row-{caseId}").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CaseFile_AfterTheRelease_TheAgreementWaitsForTheReport_NotThePlannedDate()
    {
        // Found walking the pages: released people still showed "签订社区康复协议（按计划出所日期）… 待出所后计算".
        var (caseId, _, _) = await RegisterNamedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } })).Status);
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        await page.GotoAsync($"/cases/{caseId}");
        var agreement = await page.Locator("#deadlines ~ div tr", new() { HasText = "签订协议（报到后）" }).InnerTextAsync();
        Assert.DoesNotContain("按计划出所日期", agreement);
        Assert.DoesNotContain("待出所后计算", agreement);
        Assert.Contains("报到后计算", agreement);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CaseFile_SaysWhenThePersonWasFound_NotOnlyWhenItWasRecorded()
    {
        // Found walking the pages: the police's 找到时间 appeared nowhere in the file, only the moment it was recorded.
        var (caseId, _, _) = await RegisterNamedAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        // Not before today (Asia/Shanghai), the day it was registered: found failing just after midnight, Beijing time.
        var today = Handoff.Core.Time.ChinaTime.StartOfDay(Today);
        var releasedAt = Api.Time.GetUtcNow().AddMinutes(-10) is var r && r > today ? r : today;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { releasedAt, collectedBy = new { kind = "none" } })).Status);
        var foundAt = Api.Time.GetUtcNow().AddMinutes(-2) is var f && f > releasedAt ? f : releasedAt;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-police", $"/api/cases/{caseId}/found", new { foundAt, note = "在家中" })).Status);

        var page = await browser.SignedInAsync("pingyuan-dazhe-police");
        await page.GotoAsync($"/cases/{caseId}");
        var line = await page.Locator("#history ~ ol > li", new() { HasText = "找到此人" }).InnerTextAsync();
        var local = foundAt.ToOffset(TimeSpan.FromHours(8));
        Assert.Contains($"找到时间 {local.Year}年{local.Month}月{local.Day}日 {local:HH:mm}", line);
        Assert.Contains("在家中", line);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task People_FindsACaseByTheNumberOnItsNotices()
    {
        // Found walking the pages: every notice prints 案件编号, and nothing could find a case by it.
        var (caseId, _, _) = await RegisterNamedAsync();
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        await page.GotoAsync("/people");
        await page.GetByLabel("姓名或公民身份号码", new() { Exact = false }).FillAsync(caseId.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        Assert.EndsWith($"/cases/{caseId}", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Dashboard_OnAPhone_TheTablesReadAsCards_NotOneCharacterAColumn()
    {
        // Found walking the pages: at 390 px the 分地区 table's nine columns shrank to one character each.
        await RegisterNamedAsync();
        var page = await browser.SignedInAsync("guangdong-nco", 390, 844);
        await page.GotoAsync("/supervisor");
        var cell = await page.Locator("#by-region ~ div table tbody tr th").First.BoundingBoxAsync();
        Assert.True(cell!.Width >= 200, $"the region's name is {cell.Width}px wide");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Dashboard_SwitchingFromMonthToQuarter_ShowsTheQuarterOfThatMonth()
    {
        // Found walking the pages: 月 → 季度 kept n=3 (March) and showed the third quarter, in the future.
        var page = await browser.SignedInAsync("guangdong-nco");
        await page.GotoAsync($"/supervisor?period=month&year={Today.Year}&n=3");
        await page.GetByLabel("统计周期").SelectOptionAsync("quarter");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        Assert.Contains($"{Today.Year}年第1季度", await page.Locator("h1 ~ p").First.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    /// <summary>A release registered through the API for a person with a name and number of their own.</summary>
    private async Task<(string CaseId, string Name, string IdNumber)> RegisterNamedAsync(int daysAhead = 10)
    {
        var idNumber = TestData.UniqueIdNumber();
        var name = "测" + string.Concat(idNumber[^6..].Select(d => "零一二三四五六七八九十"[d == 'X' ? 10 : d - '0']));
        var response = await Api.Client("meizhou-centre").PostAsJsonAsync("/api/releases", new
        {
            person = new { name, idNumber, registeredRegion = "441426", residenceRegion = "441426" },
            releaseDate = Date(Today.AddDays(daysAhead)),
            releaseType = "expiry",
            rehabilitationYears = 3,
            receivingOfficeId = "pingyuan-dazhe-office",
            policeStationId = "pingyuan-dazhe-police",
            decisionAuthorityId = "meizhou-psb",
        });
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("caseId").GetString()!, name, idNumber);
    }
}

/// <summary>The registration form: every error at once, 筛选 that keeps what was typed, and a confirmation before a late notice.</summary>
[Collection(BrowserCollection.Name)]
public class RegisterFormPageTests(BrowserFixture browser) : ApiTestBase(browser)
{
    [Fact]
    public async Task Register_ShowsEveryErrorAtOnce()
    {
        // Found in the pages: one error per submission.
        var page = await browser.SignedInAsync("meizhou-centre");
        await page.GotoAsync("/centre/register");
        await page.GetByLabel("姓名", new() { Exact = true }).FillAsync("  ");
        await page.GetByLabel("公民身份号码").FillAsync("4414261990030712");
        await page.GetByLabel("户籍地行政区划代码").FillAsync("999999");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记并发出出所通知" }).ClickAsync();
        foreach (var field in new[] { "person-name", "person-idNumber", "person-registeredRegion", "releaseDate", "receivingOfficeId" })
        {
            Assert.True(await page.Locator($"#{field}").GetAttributeAsync("aria-invalid") == "true", field);
            Assert.Equal(1, await page.Locator($"#{field}-error").CountAsync());
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Register_Filter_KeepsWhatWasTyped()
    {
        // Found in the pages: 筛选 was a form of its own and threw away the name and number already typed.
        var page = await browser.SignedInAsync("meizhou-centre");
        await page.GotoAsync("/centre/register");
        await page.GetByLabel("姓名", new() { Exact = true }).FillAsync("李四");
        await page.GetByLabel("公民身份号码").FillAsync("441426199003071234");
        await page.GetByLabel("先按人员户籍地或居住地筛选接收单位（6位代码）").FillAsync("441426");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        Assert.Equal("李四", await page.GetByLabel("姓名", new() { Exact = true }).InputValueAsync());
        Assert.Equal("441426199003071234", await page.GetByLabel("公民身份号码").InputValueAsync());
        Assert.Equal("平远县大柘镇戒毒康复服务中心", (await page.Locator("#receivingOfficeId option").Nth(1).InnerTextAsync()).Trim());
        Assert.Equal(0, await page.Locator(".field-error").CountAsync()); // filtering is not submitting
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Register_ALateNotice_IsSentOnlyOnceTheCentreConfirms()
    {
        // Found in the pages: a release date one day away was accepted without a word about the escalation it opens.
        var idNumber = TestData.UniqueIdNumber();
        var page = await browser.SignedInAsync("meizhou-centre");
        await page.GotoAsync("/centre/register?region=441426");
        await page.GetByLabel("姓名", new() { Exact = true }).FillAsync("王五");
        await page.GetByLabel("公民身份号码").FillAsync(idNumber);
        await page.GetByLabel("出所日期").FillAsync(Date(Today.AddDays(1)));
        await page.Locator("#receivingOfficeId").SelectOptionAsync("pingyuan-dazhe-office");
        await page.Locator("#policeStationId").SelectOptionAsync("pingyuan-dazhe-police");
        await page.Locator("#decisionAuthorityId").SelectOptionAsync("meizhou-psb");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记并发出出所通知" }).ClickAsync();

        Assert.Contains("第三十四条", await page.Locator("#late-notice").InnerTextAsync());
        Assert.EndsWith("/centre/register", page.Url, StringComparison.Ordinal);
        var listed = await ListAllAsync("meizhou-centre", "/api/cases");
        Assert.DoesNotContain(listed, c => c.GetProperty("maskedIdNumber").GetString() == Core.People.ResidentIdNumber.Mask(idNumber));

        await page.GetByRole(AriaRole.Button, new() { Name = "登记并发出出所通知" }).ClickAsync();
        Assert.Contains("请勾选", await page.Locator("#late-notice [role=alert], #late-notice .field-error").First.InnerTextAsync()); // not the same box redrawn

        await page.GetByLabel("我已知悉", new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "登记并发出出所通知" }).ClickAsync();
        await page.WaitForURLAsync("**/cases/*?msg=registered");
        await page.Context.CloseAsync();
    }
}
