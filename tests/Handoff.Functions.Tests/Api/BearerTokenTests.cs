using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Api;

/// <summary>Entra ID bearer tokens (signed locally) as the second way to authenticate.</summary>
[Collection(ApiCollection.Name)]
public class BearerTokenTests(ApiFixture api) : ApiTestBase(api)
{
    private HttpClient WithToken(string token)
    {
        var client = Api.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Token_NamingAnOrganisation_ActsAsItAndIsRecordedInHistory()
    {
        var token = ApiFixture.Token(new() { ["handoff_org"] = "meizhou-centre", ["oid"] = "7f1c0000-0000-0000-0000-0000000000aa" });

        var response = await WithToken(token).PostAsJsonAsync("/api/releases", ReleaseBody(TestData.UniqueIdNumber()));
        var created = await ReadAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToString());
        Assert.Equal("bearer:7f1c0000-0000-0000-0000-0000000000aa", created.GetProperty("history")[0].GetProperty("credential").GetString());
    }

    public static TheoryData<string> BadTokens => new()
    {
        ApiFixture.Token(new() { ["handoff_org"] = "no-such-organisation", ["sub"] = "x" }),
        ApiFixture.Token(new() { ["sub"] = "x" }),
        ApiFixture.Token(new() { ["handoff_org"] = "meizhou-centre" }, audience: "api://someone-else"),
        ApiFixture.Token(new() { ["handoff_org"] = "meizhou-centre" }, expires: DateTime.UtcNow.AddHours(-1)),
        ApiFixture.Token(new() { ["handoff_org"] = "meizhou-centre" }, key: new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(new byte[32])),
        "not.a.token",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Token_Invalid_Is401Problem(string token)
    {
        var response = await WithToken(token).GetAsync("/api/organisations");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", (await ReadAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Token_ForASupervisor_IsScopedLikeItsApiKey()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;
        var inside = ApiFixture.Token(new() { ["handoff_org"] = "meizhou-nco", ["sub"] = "s1" });
        var outside = ApiFixture.Token(new() { ["handoff_org"] = "guizhou-nco", ["sub"] = "s2" });

        Assert.Equal(HttpStatusCode.OK, (await WithToken(inside).GetAsync($"/api/cases/{caseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await WithToken(outside).GetAsync($"/api/cases/{caseId}")).StatusCode);
    }
}
