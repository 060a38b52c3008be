using System.Net;
using System.Text.Json;

namespace Handoff.Functions.Tests.Api;

/// <summary>Who may do what: every role against every command, and what stays hidden.</summary>
[Collection(ApiCollection.Name)]
public class AuthorizationTests(ApiFixture api) : ApiTestBase(api)
{
    [Theory]
    [InlineData(null, "unauthenticated")]
    [InlineData("not-a-real-organisation", "unauthenticated")]
    public async Task AnyEndpoint_WithoutValidKey_Is401Problem(string? organisation, string code)
    {
        foreach (var path in new[] { "/api/organisations", "/api/cases", "/api/escalations", "/api/notices" })
        {
            var response = await Api.Client(organisation).GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(code, (await ReadAsync(response)).GetProperty("code").GetString());
        }

        var post = await Api.Client(organisation).PostAsync("/api/releases", System.Net.Http.Json.JsonContent.Create(ReleaseBody(Testing.TestData.UniqueIdNumber())));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Organisations_ShowsDirectory_WebhookOnlyOfOwn()
    {
        var (status, body) = await GetAsync("meizhou-centre", "/api/organisations");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(body.EnumerateArray(), o => o.GetProperty("id").GetString() == "guangdong-nco" && o.GetProperty("kind").GetString() == "supervisor");
    }

    public static TheoryData<string, string, string> WrongRoles => new()
    {
        // command path, organisation that may not do it, body kind
        { "acknowledgement", "meizhou-centre", "" },
        { "acknowledgement", "pingyuan-dazhe-police", "" },
        { "release", "pingyuan-dazhe-office", "release" },
        { "release", "meizhou-psb", "release" },
        { "report", "meizhou-centre", "report" },
        { "report", "pingyuan-dazhe-police", "report" },
        { "agreement", "meizhou-psb", "agreement" },
        { "cancellation", "pingyuan-dazhe-office", "" },
        { "postponement", "pingyuan-dazhe-police", "postpone" },
        { "found", "meizhou-centre", "found" },
        { "acknowledgement", "pingyuan-nco", "" },
        { "release", "guangdong-nco", "release" },
    };

    [Theory]
    [MemberData(nameof(WrongRoles))]
    public async Task Command_ByPartyWithoutThatRole_Is403AndWritesNothing(string command, string organisation, string bodyKind)
    {
        var c = await RegisterAsync();
        var caseId = c.GetProperty("caseId").GetString()!;
        object body = bodyKind switch
        {
            "release" => new { releasedAt = Api.Time.GetUtcNow(), collectedBy = new { kind = "family", name = "张父" } },
            "report" => new { reportedAt = Api.Time.GetUtcNow() },
            "agreement" => new { signedAt = Api.Time.GetUtcNow() },
            "postpone" => new { newReleaseDate = Date(Today.AddDays(40)) },
            "found" => new { foundAt = Api.Time.GetUtcNow() },
            _ => new { },
        };

        var (status, problem) = await PostAsync(organisation, $"/api/cases/{caseId}/{command}", body);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        var after = await GetAsync("meizhou-centre", $"/api/cases/{caseId}");
        Assert.Equal(c.GetProperty("history").GetArrayLength(), after.Body.GetProperty("history").GetArrayLength());
    }

    [Theory]
    [InlineData("shaoguan-centre")]
    [InlineData("shixing-taiping-office")]
    [InlineData("nanming-police")]
    [InlineData("shaoguan-nco")]
    [InlineData("guizhou-nco")]
    public async Task Case_OfOtherOrganisationsAndRegions_Is404ForReadAndWrite(string outsider)
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(outsider, $"/api/cases/{caseId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(outsider, $"/api/cases/{caseId}/acknowledgement")).Status);
        Assert.DoesNotContain(await ListAllAsync(outsider, "/api/cases"), s => s.GetProperty("caseId").GetString() == caseId);
    }

    [Theory]
    [InlineData("meizhou-centre")]
    [InlineData("pingyuan-dazhe-office")]
    [InlineData("pingyuan-dazhe-police")]
    [InlineData("meizhou-psb")]
    [InlineData("pingyuan-nco")]
    [InlineData("meizhou-nco")]
    [InlineData("guangdong-nco")]
    public async Task Case_PartiesAndSupervisorsAbove_CanReadAndList(string insider)
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(insider, $"/api/cases/{caseId}")).Status);
        Assert.Contains(await ListAllAsync(insider, "/api/cases?state=scheduled"), s => s.GetProperty("caseId").GetString() == caseId);
    }

    [Fact]
    public async Task EscalationRead_ByNonRecipient_Is403()
    {
        var caseId = (await RegisterAsync(daysAhead: 1)).GetProperty("caseId").GetString()!;
        var c = await GetAsync("meizhou-centre", $"/api/cases/{caseId}");
        var lateNotice = c.Body.GetProperty("escalations").EnumerateArray().Single();
        var id = lateNotice.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync("pingyuan-dazhe-police", $"/api/escalations/{id}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("meizhou-centre", $"/api/escalations/{id}/acknowledgement")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync("meizhou-centre", "/api/escalations/nonsense/acknowledgement")).Status);
    }
}
