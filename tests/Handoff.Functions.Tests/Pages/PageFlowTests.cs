using System.Net;
using System.Text.Json;
using Handoff.Functions.Tests.Api;
using Handoff.Testing;
using Microsoft.Playwright;

namespace Handoff.Functions.Tests.Pages;

/// <summary>
/// Each role's main flow through the pages in a real browser (chromium), on the self-host and Azurite: the centre registers and records
/// the release, the office works its list, and every action is the API's own, recorded with the person's session credential.
/// </summary>
[Collection(BrowserCollection.Name)]
public class PageFlowTests(BrowserFixture browser) : ApiTestBase(browser)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Centre_SignsIn_RegistersARelease_WithChineseErrorsNextToTheField_ADoubleClickRecordsOneCase_ThenRecordsTheRelease()
    {
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = browser.BaseAddress!.ToString(), Locale = "zh-CN" });
        await page.GotoAsync("/centre");
        Assert.EndsWith("/signin?returnUrl=%2Fcentre", page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "梅州市强制隔离戒毒所", Exact = true }).ClickAsync();
        Assert.EndsWith("/centre", page.Url, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "登记一名即将出所的人员" }).ClickAsync();

        // The receiving office and police station are chosen from the directory, filtered by the person's region: 平远县 first,
        // nothing outside Guangdong.
        await page.GetByLabel("先按人员户籍地或居住地筛选接收单位（6位代码）").FillAsync("441426");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        var offices = await page.GetByLabel("接收的社区戒毒社区康复工作站").Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value).filter(v => v)");
        Assert.Equal("pingyuan-dazhe-office", offices[0]);
        Assert.DoesNotContain("nanming-office", offices);
        Assert.Equal("441426", await page.GetByLabel("户籍地行政区划代码").InputValueAsync());

        await page.GetByLabel("姓名").FillAsync("林某某");
        await page.GetByLabel("公民身份号码").FillAsync("123");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记并发出出所通知" }).ClickAsync();
        var idError = page.Locator("#person-idNumber-error");
        Assert.Contains("身份证号码不正确", await idError.TextContentAsync());
        Assert.Equal("true", await page.GetByLabel("公民身份号码").GetAttributeAsync("aria-invalid"));
        Assert.Equal("林某某", await page.GetByLabel("姓名").InputValueAsync());

        var idNumber = TestData.UniqueIdNumber();
        await page.GetByLabel("公民身份号码").FillAsync(idNumber);
        await page.GetByLabel("出所日期").FillAsync(Date(Today.AddDays(10)));
        await page.GetByLabel("接收的社区戒毒社区康复工作站").SelectOptionAsync("pingyuan-dazhe-office");
        await page.GetByLabel("户籍地或居住地派出所").SelectOptionAsync("pingyuan-dazhe-police");
        await page.GetByLabel("决定机关").SelectOptionAsync("meizhou-psb");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记并发出出所通知" }).DblClickAsync();

        // Applied within the command's wait, the file opens; on a busy machine the form is answered "accepted, being processed" and
        // the centre's list shows the case once it is applied. Either way one case, never two.
        await page.WaitForURLAsync(url => url.Contains("/cases/HO-", StringComparison.Ordinal) || url.EndsWith("/centre?msg=pending", StringComparison.Ordinal));
        var pending = page.Url.EndsWith("?msg=pending", StringComparison.Ordinal);
        Assert.Contains(pending ? "已受理" : "出所登记已保存", await page.Locator("[role=status]").TextContentAsync());
        var masked = idNumber[..4] + new string('*', 10) + idNumber[^4..];
        var listed = await ApiFixture.EventuallyAsync(
            async () => (await ListAllAsync("meizhou-centre", "/api/cases")).Where(c => c.GetProperty("maskedIdNumber").GetString() == masked).ToList(),
            l => l.Count > 0, Patience, "the registered case listed");
        var caseId = Assert.Single(listed).GetProperty("caseId").GetString()!;
        if (!pending)
        {
            Assert.Equal(caseId, page.Url.Split("/cases/")[1].Split('?')[0]);
        }

        await page.GotoAsync("/centre");
        var row = page.Locator($"tr:has(a[href='/cases/{caseId}'])");
        await row.GetByLabel("接回方式").SelectOptionAsync("family");
        await row.GetByLabel("接回人姓名").FillAsync("林父");
        await row.GetByRole(AriaRole.Button, new() { Name = "登记出所" }).ClickAsync();
        Assert.Contains("已登记出所", await page.Locator("[role=status]").TextContentAsync());

        var file = (await GetAsync("meizhou-centre", $"/api/cases/{caseId}")).Body;
        Assert.Equal("released", file.GetProperty("state").GetString());
        Assert.Equal("dev:meizhou-centre", file.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("type").GetString() == "ReleaseRecorded").GetProperty("credential").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Office_WorksItsList_Acknowledge_Report_Agreement_AndTheFileShowsWhoDidWhat()
    {
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");
        Assert.EndsWith("/office", page.Url, StringComparison.Ordinal);

        // By keyboard: the skip link comes first, then the button takes the focus and Enter sends its form.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("跳到正文", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await Item(page, caseId).GetByRole(AriaRole.Button, new() { Name = "签收" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/office?msg=acknowledged");
        Assert.Contains("已签收通知", await page.Locator("[role=status]").TextContentAsync());
        var released = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "office", name = "王某" } });
        Assert.Equal(HttpStatusCode.OK, released.Status);

        await page.GotoAsync("/office");
        await Item(page, caseId).GetByRole(AriaRole.Button, new() { Name = "已报到" }).ClickAsync();
        Assert.Contains("已登记报到", await page.Locator("[role=status]").TextContentAsync());
        await Item(page, caseId).GetByRole(AriaRole.Button, new() { Name = "已签订协议" }).ClickAsync();
        Assert.Contains("已登记签订协议", await page.Locator("[role=status]").TextContentAsync());

        await page.GotoAsync($"/cases/{caseId}");
        var text = await page.Locator("main").InnerTextAsync();
        Assert.Contains("社区执行中", text); // the agreement starts the 社区康复 period: the file stays open (issue 21)
        Assert.Contains("签订协议 — 平远县大柘镇戒毒康复服务中心（值班人员，开发环境登录）", text); // who did it, in words: the officer and how they signed in
        Assert.Contains("工作站签收出所通知", text);
        Assert.Contains("社区戒毒（康复）工作人员接回：王某", text);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Form_WithoutTheAntiforgeryToken_IsRefused_AndNothingIsRecorded()
    {
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        var page = await browser.SignedInAsync("pingyuan-dazhe-office");

        // A page of another site posting into the signed-in session: the session cookie goes along, the token does not.
        var forged = await page.APIRequest.PostAsync($"/cases/{caseId}/actions/acknowledgement", new()
        {
            Form = FormOf(page, ("idempotencyKey", "page-forged"), ("returnTo", "/office")),
            MaxRedirects = 0,
        });

        Assert.Equal(400, forged.Status);
        Assert.Contains("表单已失效", await forged.TextAsync());
        Assert.Equal("scheduled", (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}")).Body.GetProperty("state").GetString());
        Assert.Contains(browser.Logs.Entries, e => e.EventId.Id == 2201);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CaseOfAnotherOrganisation_IsNotShown_AsIfItDidNotExist()
    {
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        var page = await browser.SignedInAsync("shaoguan-centre");

        var response = await page.GotoAsync($"/cases/{caseId}");

        Assert.Equal(404, response!.Status);
        Assert.Contains("没有这宗案件", await page.Locator("main").InnerTextAsync());
        Assert.DoesNotContain("张某某", await page.ContentAsync());
        await page.Context.CloseAsync();
    }

    private static ILocator Item(IPage page, string caseId) => page.Locator($"li:has(a[href='/cases/{caseId}'])").First;

    private IFormData FormOf(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}
