using System.Net;
using Handoff.Functions.Tests.Api;
using Handoff.Testing;
using Microsoft.Playwright;

namespace Handoff.Functions.Tests.Pages;

/// <summary>
/// The chain before the release through the pages, in chromium, as each new user works it: the deciding organ records a decision and
/// decides term proposals; the public-security centre takes people in (or refuses them, saying why) and transfers them; the justice
/// centre receives them and sends the release notice for the date the term sets.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ChainPagesTests(BrowserFixture browser) : ApiTestBase(browser)
{
    private const string Authority = "meizhou-psb";
    private const string PublicSecurityCentre = "meizhou-psb-centre";
    private const string JusticeCentre = "meizhou-centre";

    [Fact]
    public async Task DecidingOrgan_RecordsADecisionInTheForm_EveryFieldAtFaultShownAtOnce()
    {
        var page = await browser.SignedInAsync(Authority);
        await page.GotoAsync("/police");
        await page.GetByRole(AriaRole.Link, new() { Name = "登记强制隔离戒毒决定" }).ClickAsync();
        await page.GetByLabel("公民身份号码").FillAsync("4414261990030712");
        await page.GetByLabel("决定日期").FillAsync(Date(Today.AddDays(2)));
        await page.GetByRole(AriaRole.Button, new() { Name = "登记决定并通知戒毒所" }).ClickAsync();
        foreach (var field in new[] { "person-name", "person-idNumber", "person-registeredRegion", "decisionNumber", "servedAt", "centreId" })
        {
            Assert.True(await page.Locator($"#{field}").GetAttributeAsync("aria-invalid") == "true", field);
            Assert.Equal(1, await page.Locator($"#{field}-error").CountAsync());
        }

        var idNumber = TestData.UniqueIdNumber();
        await page.GetByLabel("姓名", new() { Exact = true }).FillAsync("赵某");
        await page.GetByLabel("公民身份号码").FillAsync(idNumber);
        await page.GetByLabel("户籍地行政区划代码").FillAsync("441426");
        await page.GetByLabel("决定书文号").FillAsync("梅公（禁）决字〔2026〕21号");
        await page.GetByLabel("决定日期").FillAsync(Date(Today));
        await page.GetByLabel("送达本人时间").FillAsync(Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:05");
        await page.Locator("#centreId").SelectOptionAsync(PublicSecurityCentre);
        await page.GetByRole(AriaRole.Button, new() { Name = "登记决定并通知戒毒所" }).ClickAsync();
        await page.WaitForURLAsync("**/cases/*?msg=decided");

        var file = await page.Locator("#commitment ~ dl").InnerTextAsync();
        Assert.Contains("梅公（禁）决字〔2026〕21号", file);
        Assert.Contains($"至{Handoff.Pages.Infrastructure.Zh.Date(Today.AddMonths(24))}", file);
        Assert.DoesNotContain(idNumber, await page.ContentAsync());
        Assert.Contains("送所执行", await page.Locator("#deadlines ~ div table").InnerTextAsync());

        await page.GotoAsync("/police");
        Assert.Equal(1, await page.Locator("#police-delivering ~ ul li", new() { HasText = "赵某" }).CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Centre_ARefusalWithoutAReason_IsShownBesideTheField_AndARefusalGoesBackToTheDecidingOrgan()
    {
        var caseId = await DecideAsync(TestData.UniqueIdNumber());
        var centre = await browser.SignedInAsync(PublicSecurityCentre);
        await centre.GotoAsync("/centre");
        await centre.Locator($"tr:has(a[href='/cases/{caseId}'])").GetByRole(AriaRole.Link, new() { Name = "办理入所" }).ClickAsync();
        await centre.Locator("#act summary", new() { HasText = "拒收" }).ClickAsync();
        await centre.Locator("#intake-reason").FillAsync("  ");
        await centre.GetByRole(AriaRole.Button, new() { Name = "拒收", Exact = true }).ClickAsync();
        Assert.Contains("必填", await centre.Locator("#err-intake-refusal").InnerTextAsync());

        await centre.Locator("#intake-reason").FillAsync("患有危及生命的严重疾病");
        var before = await HistoryAsync(PublicSecurityCentre, caseId);
        await centre.GetByRole(AriaRole.Button, new() { Name = "拒收", Exact = true }).ClickAsync();
        await AppliedAsync(centre, PublicSecurityCentre, caseId, "intake-refusal", before);
        Assert.Contains("拒收：患有危及生命的严重疾病", await centre.Locator("#commitment ~ dl").InnerTextAsync());
        // Found walking the pages: the refusal's notice to the supervisors was said to come from a deadline reached.
        var history = await centre.Locator("#history ~ ol").InnerTextAsync();
        Assert.Contains("系统（自动转报）", history);
        Assert.DoesNotContain("期限到时", history);

        var organ = await browser.SignedInAsync(Authority);
        await organ.GotoAsync("/police");
        var item = organ.Locator($"#deliver-{caseId}");
        Assert.Contains("患有危及生命的严重疾病", await item.InnerTextAsync());
        await item.GetByRole(AriaRole.Link, new() { Name = "改送其他戒毒所" }).ClickAsync();
        await organ.Locator("#delivery-centre").SelectOptionAsync(JusticeCentre);
        before = await HistoryAsync(Authority, caseId);
        await organ.GetByRole(AriaRole.Button, new() { Name = "改送" }).ClickAsync();
        await AppliedAsync(organ, Authority, caseId, "delivery", before);

        var justice = await browser.SignedInAsync(JusticeCentre);
        await justice.GotoAsync($"/cases/{caseId}");
        before = await HistoryAsync(JusticeCentre, caseId);
        await justice.GetByRole(AriaRole.Button, new() { Name = "登记入所" }).ClickAsync();
        await AppliedAsync(justice, JusticeCentre, caseId, "intake", before);
        Assert.Contains("在所执行", await justice.Locator("#person ~ dl").InnerTextAsync());
        foreach (var p in new[] { centre, organ, justice })
        {
            await p.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Transfer_FromThePublicSecurityCentre_ReceivedByTheJusticeCentre_ThenTheReleaseNoticeFollowsTheTerm()
    {
        var caseId = await DecideAsync(TestData.UniqueIdNumber(), monthsAgo: 4);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(PublicSecurityCentre, $"/api/cases/{caseId}/steps/intake", new { intakeAt = Api.Time.GetUtcNow().AddMonths(-4).AddHours(2) })).Status);

        var sender = await browser.SignedInAsync(PublicSecurityCentre);
        await sender.GotoAsync($"/cases/{caseId}");
        Assert.Contains("起可移送", await sender.Locator("#act").InnerTextAsync());
        await sender.Locator("#transfer-to").SelectOptionAsync(JusticeCentre);
        var before = await HistoryAsync(PublicSecurityCentre, caseId);
        await sender.GetByRole(AriaRole.Button, new() { Name = "登记移送" }).ClickAsync();
        await AppliedAsync(sender, PublicSecurityCentre, caseId, "transfer", before);

        var receiver = await browser.SignedInAsync(JusticeCentre);
        await receiver.GotoAsync("/centre");
        await receiver.Locator($"tr:has(a[href='/cases/{caseId}'])").GetByRole(AriaRole.Link, new() { Name = "办理接收" }).ClickAsync();
        await receiver.Locator("#reception-documents").FillAsync("决定书、诊断评估记录");
        before = await HistoryAsync(JusticeCentre, caseId);
        await receiver.GetByRole(AriaRole.Button, new() { Name = "登记接收" }).ClickAsync();
        await AppliedAsync(receiver, JusticeCentre, caseId, "reception", before);
        // Found walking the pages: completing a step was listed as 设定期限 (登记入所 … 设定期限：送所执行).
        var history = await receiver.Locator("#history ~ ol").InnerTextAsync();
        Assert.Matches(@"登记接收[^\n]*\n\s*办结：接收移送人员", history);
        var facts = await receiver.Locator("#commitment ~ dl").InnerTextAsync();
        Assert.Contains("梅州市公安局强制隔离戒毒所（示例） → 梅州市强制隔离戒毒所", facts);

        // The release notice starts from the term: no date to type, the office and police station of the person's region offered.
        var notice = receiver.Locator("#act");
        Assert.Contains($"期限至{Handoff.Pages.Infrastructure.Zh.Date(Today.AddMonths(20))}", await notice.InnerTextAsync());
        Assert.Equal(0, await notice.Locator("input[type=date][name=releaseDate]").CountAsync());
        Assert.Equal("pingyuan-dazhe-office", await receiver.Locator("#notice-office").InputValueAsync());
        before = await HistoryAsync(JusticeCentre, caseId);
        await receiver.GetByRole(AriaRole.Button, new() { Name = "发出出所通报" }).ClickAsync();
        await AppliedAsync(receiver, JusticeCentre, caseId, "release-notice", before);
        Assert.Contains("待出所", await receiver.Locator("#person ~ dl").InnerTextAsync());

        var office = await browser.SignedInAsync("pingyuan-dazhe-office");
        await office.GotoAsync("/office");
        Assert.Equal(1, await office.Locator($"#todo-ack ~ ul #row-{caseId}").GetByRole(AriaRole.Button, new() { Name = "签收" }).CountAsync());
        foreach (var p in new[] { sender, receiver, office })
        {
            await p.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task DecidingOrgan_DecidesAProposalFromItsPage_AndTheFileShowsTheNewDate()
    {
        var caseId = await DecideAsync(TestData.UniqueIdNumber(), monthsAgo: 13, centre: JusticeCentre);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/intake", new { intakeAt = Api.Time.GetUtcNow().AddMonths(-13).AddHours(2) })).Status);

        var centre = await browser.SignedInAsync(JusticeCentre);
        await centre.GotoAsync($"/cases/{caseId}");
        await centre.Locator("#act summary", new() { HasText = "提出延长期限或提前解除的意见" }).ClickAsync();
        await centre.Locator("#proposal-kind").SelectOptionAsync("early-release");
        await centre.Locator("#proposal-date").FillAsync(Date(Today.AddDays(20)));
        await centre.Locator("#proposal-reason").FillAsync("诊断评估合格");
        var before = await HistoryAsync(JusticeCentre, caseId);
        await centre.GetByRole(AriaRole.Button, new() { Name = "提交决定机关" }).ClickAsync();
        await AppliedAsync(centre, JusticeCentre, caseId, "term-proposal", before);

        var organ = await browser.SignedInAsync(Authority);
        await organ.GotoAsync("/police");
        var item = organ.Locator($"#decide-{caseId}");
        Assert.Contains("提前解除", await item.InnerTextAsync());
        await item.Locator($"#approved-{caseId}").SelectOptionAsync("yes");
        before = await HistoryAsync(Authority, caseId);
        await item.GetByRole(AriaRole.Button, new() { Name = "登记决定" }).ClickAsync();
        await AppliedAsync(organ, Authority, caseId, "term-decision", before);

        await centre.GotoAsync($"/cases/{caseId}");
        Assert.Contains($"至{Handoff.Pages.Infrastructure.Zh.Date(Today.AddDays(20))}", await centre.Locator("#commitment ~ dl").InnerTextAsync());
        Assert.Contains("批准提前解除强制隔离戒毒", await centre.Locator("#history ~ ol").InnerTextAsync());
        foreach (var p in new[] { centre, organ })
        {
            await p.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task OnAPhone_TheCentresIntakeButtonIsOnScreen()
    {
        var caseId = await DecideAsync(TestData.UniqueIdNumber());
        var page = await browser.SignedInAsync(PublicSecurityCentre, 390, 844);
        await page.GotoAsync($"/cases/{caseId}");
        var button = await page.GetByRole(AriaRole.Button, new() { Name = "登记入所" }).BoundingBoxAsync();
        Assert.NotNull(button);
        Assert.True(button.X >= 0 && button.X + button.Width <= 390, $"登记入所 at x={button.X}, width {button.Width}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DecidingOrgan_SeesWhereEachPersonIsToBeDelivered_AndARefusalOnlyWhileItStands()
    {
        // Found walking the pages: 待送所执行 read "送@Name(c.CentreId)"; after a redirect the old centre's refusal still showed as if
        // the new centre had refused.
        var caseId = await DecideAsync(TestData.UniqueIdNumber());
        var organ = await browser.SignedInAsync(Authority);
        await organ.GotoAsync("/police");
        var row = await organ.Locator($"#deliver-{caseId}").InnerTextAsync();
        Assert.Contains("送梅州市公安局强制隔离戒毒所（示例）", row);
        Assert.DoesNotContain("@", row);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(PublicSecurityCentre, $"/api/cases/{caseId}/steps/intake-refusal", new { reason = "患有严重疾病" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Authority, $"/api/cases/{caseId}/steps/delivery", new { centreId = JusticeCentre })).Status);
        await organ.GotoAsync($"/cases/{caseId}");
        Assert.Equal(0, await organ.Locator("#act .flash", new() { HasText = "拒收" }).CountAsync());
        await organ.Context.CloseAsync();
    }

    [Fact]
    public async Task Centre_IsOfferedOnlyWhatItCanDo_NoSecondRefusal_NoTransferBeforeTheWindow()
    {
        // Found walking the pages: a centre that had refused was offered 拒收 again (a second refusal, a second round of notices), and
        // 登记移送 was offered before the window opened and then refused.
        var refusedId = await DecideAsync(TestData.UniqueIdNumber());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(PublicSecurityCentre, $"/api/cases/{refusedId}/steps/intake-refusal", new { reason = "患有严重疾病" })).Status);
        var heldId = await DecideAsync(TestData.UniqueIdNumber());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(PublicSecurityCentre, $"/api/cases/{heldId}/steps/intake")).Status);

        var centre = await browser.SignedInAsync(PublicSecurityCentre);
        await centre.GotoAsync($"/cases/{refusedId}");
        Assert.Equal(0, await centre.GetByRole(AriaRole.Button, new() { Name = "拒收", Exact = true }).CountAsync());
        await centre.GotoAsync($"/cases/{heldId}");
        Assert.Equal(0, await centre.GetByRole(AriaRole.Button, new() { Name = "登记移送" }).CountAsync());
        Assert.Contains("起可移送", await centre.Locator("#act").InnerTextAsync());
        // A public-security centre owes the transfer: it has no release notice to send.
        Assert.Equal(0, await centre.GetByRole(AriaRole.Button, new() { Name = "发出出所通报" }).CountAsync());
        await centre.Context.CloseAsync();
    }

    [Fact]
    public async Task CaseFile_ARefusedStep_SaysWhereTheErrorIs_OnThisPage()
    {
        // Found walking the pages: the file said "见该人员一行（标红处）", a phrase of the lists; a file has no rows.
        var caseId = await DecideAsync(TestData.UniqueIdNumber());
        var centre = await browser.SignedInAsync(PublicSecurityCentre);
        await centre.GotoAsync($"/cases/{caseId}");
        await centre.Locator("#act summary", new() { HasText = "拒收" }).ClickAsync();
        await centre.Locator("#intake-reason").FillAsync("  ");
        await centre.GetByRole(AriaRole.Button, new() { Name = "拒收", Exact = true }).ClickAsync();
        var flash = await centre.Locator(".flash.bad").First.InnerTextAsync();
        Assert.DoesNotContain("该人员一行", flash);
        Assert.Contains("办理", flash);
        await centre.Context.CloseAsync();
    }

    [Fact]
    public async Task DecisionForm_ShowsTheDatesFaultsWithTheNumbersFault_AndAMissingDayIsRequired()
    {
        // Found walking the pages: a bad check digit hid that the service was before the decision until the next submit, and an empty
        // 决定日期 was called a bad format.
        var page = await browser.SignedInAsync(Authority);
        await page.GotoAsync("/police/decision");
        await page.GetByLabel("姓名", new() { Exact = true }).FillAsync("周某");
        await page.GetByLabel("公民身份号码").FillAsync("441426199003071235");
        await page.GetByLabel("户籍地行政区划代码").FillAsync("441426");
        await page.GetByLabel("决定书文号").FillAsync("梅公（禁）决字〔2026〕30号");
        await page.GetByLabel("决定日期").FillAsync(Date(Today));
        await page.GetByLabel("送达本人时间").FillAsync(Today.AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T09:00");
        await page.Locator("#centreId").SelectOptionAsync(PublicSecurityCentre);
        await page.GetByRole(AriaRole.Button, new() { Name = "登记决定并通知戒毒所" }).ClickAsync();
        Assert.Equal(1, await page.Locator("#person-idNumber-error").CountAsync());
        Assert.Contains("送达时间不能早于决定日期", await page.Locator("#servedAt-error").InnerTextAsync());

        await page.GetByLabel("决定日期").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "登记决定并通知戒毒所" }).ClickAsync();
        Assert.Contains("必填", await page.Locator("#decidedOn-error").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    /// <summary>How many entries the case's history has, as <paramref name="organisation"/> reads it.</summary>
    private async Task<int> HistoryAsync(string organisation, string caseId) =>
        (await GetAsync(organisation, $"/api/cases/{caseId}")).Body.GetProperty("history").GetArrayLength();

    /// <summary>
    /// Waits for the form's answer: the step's confirmation, or — on a loaded machine, the command not applied within its wait — "accepted,
    /// being processed", then until the case has moved past <paramref name="before"/> history entries, and draws the page again.
    /// </summary>
    private async Task AppliedAsync(IPage page, string organisation, string caseId, string step, int before)
    {
        await page.WaitForURLAsync(url => url.Contains("msg=", StringComparison.Ordinal) || url.Contains("err=", StringComparison.Ordinal));
        if (page.Url.Contains("msg=pending", StringComparison.Ordinal))
        {
            await ApiFixture.EventuallyAsync(() => HistoryAsync(organisation, caseId), n => n > before, TimeSpan.FromSeconds(60), $"{step} applied");
            await page.ReloadAsync();
            return;
        }

        Assert.Contains($"msg={step}", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutForTreatment_TheCentreProposes社区戒毒_AndTheDecidingOrganApprovesItNamingTheOffice()
    {
        // 戒毒条例 31②: decided a year ago, in the justice centre, out for treatment since yesterday.
        var caseId = await DecideAsync(TestData.UniqueIdNumber(), monthsAgo: 12, centre: JusticeCentre);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/intake", new { intakeAt = Api.Time.GetUtcNow().AddMonths(-12).AddHours(2) })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/medical-leave", new { reason = "肝功能衰竭住院" })).Status);

        var centre = await browser.SignedInAsync(JusticeCentre);
        await centre.GotoAsync($"/cases/{caseId}");
        await centre.Locator("summary", new() { HasText = "建议变更为社区戒毒" }).ClickAsync();
        await centre.GetByLabel("理由（诊断或病情）").FillAsync("肝功能衰竭，不宜回所");
        await centre.Locator("form:has(input[value='to-community'])").GetByRole(AriaRole.Button, new() { Name = "提交决定机关" }).ClickAsync();
        Assert.Contains("意见已提交决定机关", await centre.Locator("[role=status]").TextContentAsync());

        var organ = await browser.SignedInAsync(Authority);
        await organ.GotoAsync("/police");
        await organ.Locator($"#decide-{caseId}").GetByRole(AriaRole.Link, new() { Name = "在案卷中决定" }).ClickAsync();
        await organ.GetByLabel("决定书文号").FillAsync("梅公（禁）变字〔2026〕4号");
        await organ.Locator("#change-office").SelectOptionAsync("pingyuan-dazhe-office");
        await organ.Locator("#change-police").SelectOptionAsync("pingyuan-dazhe-police");
        await organ.GetByRole(AriaRole.Button, new() { Name = "批准并变更为社区戒毒" }).ClickAsync();
        Assert.Contains("已变更为社区戒毒", await organ.Locator("[role=status]").TextContentAsync());
        var period = await organ.Locator("#community ~ dl").InnerTextAsync();
        Assert.Contains("折抵社区戒毒期限", period);
        Assert.Contains("尚未报到", period);

        var office = await browser.SignedInAsync("pingyuan-dazhe-office");
        Assert.Equal(1, await office.Locator($"section:has(#todo-ack) #row-{caseId}").CountAsync());
        foreach (var p in new[] { centre, organ, office })
        {
            await p.Context.CloseAsync();
        }
    }

    private async Task<string> DecideAsync(string idNumber, int monthsAgo = 0, string centre = PublicSecurityCentre)
    {
        var (status, body) = await PostAsync(Authority, "/api/decisions", new
        {
            person = new { name = "钱某", idNumber, registeredRegion = "441426" },
            decisionNumber = "梅公（禁）决字〔2026〕9号",
            decidedOn = Date(Today.AddMonths(-monthsAgo)),
            servedAt = Api.Time.GetUtcNow().AddMonths(-monthsAgo),
            centreId = centre,
        });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("caseId").GetString()!;
    }
}
