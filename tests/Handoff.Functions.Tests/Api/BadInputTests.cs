using System.Net;
using System.Text;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Api;

/// <summary>Every endpoint answers bad input with a 400 problem that names the field and the rule, and writes nothing.</summary>
[Collection(ApiCollection.Name)]
public class BadInputTests(ApiFixture api) : ApiTestBase(api)
{
    public static TheoryData<string, string> BadReleases => new()
    {
        { """{"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "person" },
        { """{"person":{"idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "person.name" },
        { """{"person":{"name":"张某","idNumber":"441426199003071235","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "person.idNumber" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"4414"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "person.registeredRegion" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426","residenceRegion":"abc"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "person.residenceRegion" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"01/12/2026","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "releaseDate" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"parole","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "releaseType" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":5,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "rehabilitationYears" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":"three","receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "rehabilitationYears" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "receivingOfficeId" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"nanming-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "receivingOfficeId" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"meizhou-psb","decisionAuthorityId":"meizhou-psb"}""", "policeStationId" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2026-12-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police"}""", "decisionAuthorityId" },
        { """{"person":{"name":"张某","idNumber":"ID","registeredRegion":"441426"},"releaseDate":"2020-01-01","releaseType":"expiry","rehabilitationYears":3,"receivingOfficeId":"pingyuan-dazhe-office","policeStationId":"pingyuan-dazhe-police","decisionAuthorityId":"meizhou-psb"}""", "releaseDate" },
        { """{"person": "not an object"}""", "person" },
        { """not json at all""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadReleases))]
    public async Task RegisterRelease_BadInput_Is400NamingTheField(string json, string field)
    {
        json = json.Replace("\"ID\"", $"\"{TestData.UniqueIdNumber()}\"", StringComparison.Ordinal)
            .Replace("2026-12-01", Date(Today.AddDays(10)), StringComparison.Ordinal);

        var response = await Api.Client("meizhou-centre").PostAsync("/api/releases", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("rule").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("code").GetString()));
    }

    public static TheoryData<string, string, string, string> BadCommands => new()
    {
        { "release", "meizhou-centre", """{"releasedAt":42,"collectedBy":{"kind":"family","name":"张父"}}""", "releasedAt" },
        { "release", "meizhou-centre", """{"releasedAt":"NOW"}""", "collectedBy" },
        { "release", "meizhou-centre", """{"releasedAt":"NOW","collectedBy":{"kind":"cousin"}}""", "collectedBy.kind" },
        { "release", "meizhou-centre", """{"releasedAt":"NOW","collectedBy":{"kind":"family"}}""", "collectedBy.name" },
        { "release", "meizhou-centre", """{"releasedAt":"2030-01-01T00:00:00+08:00","collectedBy":{"kind":"none"}}""", "releasedAt" },
        { "release", "meizhou-centre", """{"releasedAt":"yesterday","collectedBy":{"kind":"none"}}""", "releasedAt" },
        { "report", "pingyuan-dazhe-office", """{"reportedAt":"last week"}""", "reportedAt" },
        { "agreement", "pingyuan-dazhe-office", """{"signedAt":true}""", "signedAt" },
        { "postponement", "meizhou-centre", """{"newReleaseDate":"soon"}""", "newReleaseDate" },
        { "postponement", "meizhou-centre", """{"newReleaseDate":"2020-01-01"}""", "newReleaseDate" },
        { "found", "pingyuan-dazhe-police", """{"foundAt":"?"}""", "foundAt" },
        { "cancellation", "meizhou-centre", """{"reason":5}""", "reason" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task CaseCommand_BadInput_Is400NamingTheField(string command, string organisation, string json, string field)
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;
        json = json.Replace("\"NOW\"", $"\"{Api.Time.GetUtcNow():O}\"", StringComparison.Ordinal);

        var response = await Api.Client(organisation).PostAsync($"/api/cases/{caseId}/{command}", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/api/cases?state=lost", "state")]
    [InlineData("/api/cases?overdue=maybe", "overdue")]
    [InlineData("/api/escalations?status=closed", "status")]
    [InlineData("/api/notices?take=0", "take")]
    public async Task Query_BadParameter_Is400NamingIt(string path, string field)
    {
        var (status, problem) = await GetAsync("guangdong-nco", path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("/api/cases/HO-000000000000")]
    [InlineData("/api/cases/not-a-case")]
    public async Task UnknownCase_Is404Problem(string path)
    {
        var (status, problem) = await GetAsync("meizhou-centre", path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not-found", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task IdempotencyKey_RetriedLaterWithoutInstant_ReplaysTheFirstResult()
    {
        var caseId = (await RegisterAsync(daysAhead: 0)).GetProperty("caseId").GetString()!;
        await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } });
        var first = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/report", null, "report-1");
        await Task.Delay(50);

        var retry = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/report", null, "report-1");

        Assert.Equal(HttpStatusCode.OK, retry.Status);
        Assert.Equal(first.Body.GetProperty("reportedAt").GetDateTimeOffset(), retry.Body.GetProperty("reportedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task IdempotencyKey_ReusedForAnotherRequest_Is400()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;
        await PostAsync("meizhou-centre", $"/api/cases/{caseId}/postponement", new { newReleaseDate = Date(Today.AddDays(20)) }, "p-1");

        var (status, problem) = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/postponement", new { newReleaseDate = Date(Today.AddDays(30)) }, "p-1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Idempotency-Key", problem.GetProperty("field").GetString());
    }
}
