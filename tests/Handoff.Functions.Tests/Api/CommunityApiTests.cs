using System.Net;
using System.Text.Json;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Api;

/// <summary>The community period through the HTTP API of the self-host, on the engine over Azurite: a 社区戒毒 order, the office's steps,
/// a change of place between two offices, the end — refusals answered with the field and the rule.</summary>
[Collection(ApiCollection.Name)]
public class CommunityApiTests(ApiFixture api) : ApiTestBase(api)
{
    private const string Authority = "meizhou-psb";
    private const string Office = "pingyuan-dazhe-office";
    private const string Police = "pingyuan-dazhe-police";
    private const string NewOffice = "nanming-office";

    private object OrderBody(string idNumber, int daysAgo = 0) => new
    {
        person = new { name = "王某", idNumber, registeredRegion = "441426" },
        orderNumber = "平公（禁）社戒字〔2026〕8号",
        decidedOn = Date(Today.AddDays(-daysAgo)),
        servedAt = Api.Time.GetUtcNow().AddDays(-daysAgo),
        officeId = Office,
        policeStationId = Police,
    };

    private async Task<string> OrderAsync(string? idNumber = null, int daysAgo = 0)
    {
        var (status, body) = await PostAsync(Authority, "/api/community-orders", OrderBody(idNumber ?? TestData.UniqueIdNumber(), daysAgo));
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("caseId").GetString()!;
    }

    [Fact]
    public async Task Order_OpensAFileWithNoCentre_TellsTheOfficeAndPolice_AndTheOfficeTakesItToTheAgreement()
    {
        var id = TestData.UniqueIdNumber();
        var (status, c) = await PostAsync(Authority, "/api/community-orders", OrderBody(id));
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("ordered", c.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("centreId").ValueKind);
        Assert.Equal("detox", c.GetProperty("community").GetProperty("kind").GetString());
        Assert.Equal("open", Deadline(c, "report", "status"));
        Assert.DoesNotContain(id, c.GetRawText());
        var caseId = c.GetProperty("caseId").GetString()!;
        foreach (var unit in new[] { Office, Police })
        {
            var inbox = await GetAsync(unit, "/api/notices?take=500");
            Assert.Contains(inbox.Body.EnumerateArray(), n => n.GetProperty("caseId").GetString() == caseId && n.GetProperty("kind").GetString() == "community-order");
        }

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Office, $"/api/cases/{caseId}/acknowledgement")).Status);
        var (reported, r) = await PostAsync(Office, $"/api/cases/{caseId}/report");
        Assert.Equal(HttpStatusCode.OK, reported);
        Assert.Equal(Date(Today.AddYears(3)), r.GetProperty("community").GetProperty("endsOn").GetString());
        var (signed, a) = await PostAsync(Office, $"/api/cases/{caseId}/agreement");
        Assert.Equal(HttpStatusCode.OK, signed);
        Assert.Equal("agreementSigned", a.GetProperty("state").GetString());

        // The same person again: one open file (戒毒条例 7), without naming it.
        var (again, conflict) = await PostAsync(Authority, "/api/community-orders", OrderBody(id));
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("own-open-case", conflict.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Order_WithFieldsWrong_NamesTheFieldAndTheRule()
    {
        var (missing, problem) = await PostAsync(Authority, "/api/community-orders", new { person = new { name = "王某", idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426" } });
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal(("orderNumber", "required"), (problem.GetProperty("field").GetString(), problem.GetProperty("code").GetString()));

        var away = new
        {
            person = new { name = "王某", idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426" },
            orderNumber = "平公（禁）社戒字〔2026〕9号", decidedOn = Date(Today), servedAt = Api.Time.GetUtcNow(), officeId = NewOffice, policeStationId = Police,
        };
        var (wrong, notHome) = await PostAsync(Authority, "/api/community-orders", away);
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Equal(("officeId", "office-not-at-residence"), (notHome.GetProperty("field").GetString(), notHome.GetProperty("code").GetString()));

        var (byOffice, forbidden) = await PostAsync(Office, "/api/community-orders", OrderBody(TestData.UniqueIdNumber()));
        Assert.Equal(HttpStatusCode.Forbidden, byOffice);
        Assert.Equal("forbidden", forbidden.GetProperty("code").GetString());
    }

    [Fact]
    public async Task TestsAbsencesAndTheReportToThePolice_ThroughTheSteps()
    {
        var caseId = await UnderWayAsync();
        var (bad, problem) = await PostAsync(Office, $"/api/cases/{caseId}/steps/test", new { result = "maybe" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal(("result", "invalid-result"), (problem.GetProperty("field").GetString(), problem.GetProperty("code").GetString()));
        var (nothing, none) = await PostAsync(Office, $"/api/cases/{caseId}/steps/violation-report");
        Assert.Equal(HttpStatusCode.Conflict, nothing);
        Assert.Equal("nothing-to-report", none.GetProperty("code").GetString());

        JsonElement c = default;
        for (var i = 0; i < 3; i++)
        {
            // Each at its own instant, after the report.
            await Task.Delay(5);
            HttpStatusCode status;
            (status, c) = await PostAsync(Office, $"/api/cases/{caseId}/steps/test", new { result = "missed", testedAt = Api.Time.GetUtcNow() });
            Assert.True(status == HttpStatusCode.OK, c.GetRawText());
        }

        Assert.Equal(3, c.GetProperty("community").GetProperty("missedTests").GetInt32());
        Assert.Equal("tests", c.GetProperty("community").GetProperty("grounds")[0].GetString());
        Assert.Equal("open", Deadline(c, "violationReport", "status"));
        var (toldPolice, told) = await PostAsync(Office, $"/api/cases/{caseId}/steps/violation-report");
        Assert.Equal(HttpStatusCode.OK, toldPolice);
        Assert.Equal("met", Deadline(told, "violationReport", "status"));
        var policeInbox = await GetAsync(Police, "/api/notices?take=500");
        Assert.Contains(policeInbox.Body.EnumerateArray(), n => n.GetProperty("caseId").GetString() == caseId && n.GetProperty("kind").GetString() == "violation");

        var (left, away) = await PostAsync(Office, $"/api/cases/{caseId}/steps/absence", new { leftOn = Date(Today), writtenReport = false });
        Assert.Equal(HttpStatusCode.OK, left);
        Assert.Equal(Date(Today), away.GetProperty("community").GetProperty("awaySince").GetString());
        var (noFlag, flag) = await PostAsync(Office, $"/api/cases/{caseId}/steps/absence", new { leftOn = Date(Today) });
        Assert.Equal(HttpStatusCode.BadRequest, noFlag);
        Assert.Equal("writtenReport", flag.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Office, $"/api/cases/{caseId}/steps/absence-end", new { returnedOn = Date(Today) })).Status);
    }

    [Fact]
    public async Task ChangeOfPlace_TheNewOfficeTakesThePersonOver_AndBothReadTheFile()
    {
        var caseId = await UnderWayAsync();
        // Another office may not even learn the file exists (戒毒条例 7).
        var (hidden, _) = await PostAsync(NewOffice, $"/api/cases/{caseId}/steps/place-change", new { toOfficeId = NewOffice, requestedOn = Date(Today) });
        Assert.Equal(HttpStatusCode.NotFound, hidden);

        var (sent, moving) = await PostAsync(Office, $"/api/cases/{caseId}/steps/place-change",
            new { toOfficeId = NewOffice, toPoliceStationId = "nanming-police", requestedOn = Date(Today) });
        Assert.Equal(HttpStatusCode.OK, sent);
        Assert.Equal(Office, moving.GetProperty("receivingOfficeId").GetString());
        Assert.Equal(NewOffice, moving.GetProperty("community").GetProperty("move").GetProperty("toOfficeId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(NewOffice, $"/api/cases/{caseId}")).Status);

        var (acknowledged, taken) = await PostAsync(NewOffice, $"/api/cases/{caseId}/steps/place-change-acknowledgement");
        Assert.Equal(HttpStatusCode.OK, acknowledged);
        Assert.Equal(NewOffice, taken.GetProperty("receivingOfficeId").GetString());
        Assert.Equal("nanming-police", taken.GetProperty("policeStationId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(NewOffice, $"/api/cases/{caseId}/report")).Status);
        var (signed, done) = await PostAsync(NewOffice, $"/api/cases/{caseId}/agreement");
        Assert.Equal(HttpStatusCode.OK, signed);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("community").GetProperty("move").ValueKind);
        Assert.Equal([Office, NewOffice], done.GetProperty("community").GetProperty("offices").EnumerateArray().Select(o => o.GetString()));
        // The office that sent the file still reads it.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(Office, $"/api/cases/{caseId}")).Status);
    }

    [Fact]
    public async Task Suspension_Resumption_AndTermination_CloseTheFile()
    {
        var caseId = await UnderWayAsync();
        var (badReason, problem) = await PostAsync(Police, $"/api/cases/{caseId}/steps/suspension", new { reason = "holiday" });
        Assert.Equal(HttpStatusCode.BadRequest, badReason);
        Assert.Equal("reason", problem.GetProperty("field").GetString());
        var (held, suspended) = await PostAsync(Police, $"/api/cases/{caseId}/steps/suspension", new { reason = "detention" });
        Assert.Equal(HttpStatusCode.OK, held);
        Assert.Equal("suspended", suspended.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Police, $"/api/cases/{caseId}/steps/resumption")).Status);

        var (ended, c) = await PostAsync(Police, $"/api/cases/{caseId}/steps/termination", new { reason = "sentenced", endedOn = Date(Today) });
        Assert.Equal(HttpStatusCode.OK, ended);
        Assert.Equal("ended", c.GetProperty("state").GetString());
        Assert.All(c.GetProperty("escalations").EnumerateArray(), e => Assert.True(e.GetProperty("status").GetString() == "resolved", e.GetRawText()));
        Assert.All(c.GetProperty("deadlines").EnumerateArray(), d => Assert.True(d.GetProperty("status").GetString() != "open", d.GetRawText()));
        var (late, closed) = await PostAsync(Office, $"/api/cases/{caseId}/steps/interview");
        Assert.Equal(HttpStatusCode.Conflict, late);
        Assert.Equal("no-community-period", closed.GetProperty("code").GetString());
        Assert.Contains((await GetAsync(Office, "/api/cases?state=ended")).Body.GetProperty("items").EnumerateArray(), x => x.GetProperty("caseId").GetString() == caseId);
    }

    private async Task<string> UnderWayAsync()
    {
        var caseId = await OrderAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Office, $"/api/cases/{caseId}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Office, $"/api/cases/{caseId}/report")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Office, $"/api/cases/{caseId}/agreement")).Status);
        return caseId;
    }
}

/// <summary>The API's view of a period, a pure function of it.</summary>
public class CommunityViewTests
{
    [Fact]
    public void DaysAwayEnded_CountsOnlyDepartures_WithoutLeave_OfThreeDaysOrMore_AsTheCountsOfTheCoreDo()
    {
        // Found reading the change: the view summed every ended absence without the written report, a one-day trip included, while the
        // core's count of 戒毒条例 20 leaves out a trip that ended within 3 days (19(三)).
        var k = Handoff.Core.Cases.Community.Begin(Handoff.Core.Cases.CommunityKind.Detox, "号", null, 3, "pingyuan-dazhe-office") with
        {
            Absences =
            [
                new(new DateOnly(2026, 11, 1), false, new DateOnly(2026, 11, 2)),
                new(new DateOnly(2026, 11, 10), false, new DateOnly(2026, 11, 15)),
                new(new DateOnly(2026, 11, 20), true, new DateOnly(2026, 11, 20)),
                new(new DateOnly(2026, 12, 1), false, null),
            ],
        };

        var view = Handoff.Api.Endpoints.CommunityView.From(k);
        Assert.Equal(5, view.DaysAwayEnded);
        Assert.Equal(new DateOnly(2026, 12, 1), view.AwaySince);
        Assert.Equal(k.DaysAwayOn(new DateOnly(2026, 12, 4)), view.DaysAwayEnded + 3);
    }
}
