using System.Net;
using System.Text;
using System.Text.Json;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// Findings of the security and integration review: instants are Beijing time both ways, identity data is checked against the
/// standards, duplicate JSON keys and forged lines are refused. Each answer is a 400 problem naming the field and the rule.
/// </summary>
[Collection(ApiCollection.Name)]
public class InputHygieneTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task EveryInstantInTheAnswers_IsBeijingTime()
    {
        var caseId = (await RegisterAsync(daysAhead: 0)).GetProperty("caseId").GetString()!;
        await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement");
        var releasedAtUtc = Api.Time.GetUtcNow().ToUniversalTime().AddMinutes(-5);
        await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { releasedAt = releasedAtUtc.ToString("O"), collectedBy = new { kind = "family", name = "张父" } });

        var answers = new List<JsonElement>
        {
            (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}")).Body,
            (await GetAsync("pingyuan-dazhe-office", "/api/cases?take=5")).Body,
            (await GetAsync("pingyuan-dazhe-office", "/api/notices?take=5")).Body,
        };

        var instants = answers.SelectMany(Instants).ToList();
        Assert.NotEmpty(instants);
        Assert.All(instants, i => Assert.True(i.Text.EndsWith("+08:00", StringComparison.Ordinal), $"{i.Path} = {i.Text}"));
    }

    [Theory]
    [InlineData("release", "meizhou-centre", """{"releasedAt":"2026-03-06T10:00:00","collectedBy":{"kind":"family","name":"张父"}}""", "releasedAt")]
    [InlineData("report", "pingyuan-dazhe-office", """{"reportedAt":"2026-03-06T10:00:00.000"}""", "reportedAt")]
    public async Task Instant_WithoutAnOffset_IsRefused(string command, string organisation, string json, string field)
    {
        var caseId = (await RegisterAsync(daysAhead: 0)).GetProperty("caseId").GetString()!;

        var response = await Api.Client(organisation).PostAsync($"/api/cases/{caseId}/{command}", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Equal("offset-required", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task DuplicateJsonKeys_AreRefused()
    {
        var body = JsonSerializer.Serialize(ReleaseBody(TestData.UniqueIdNumber()), ApiFixture.Json);
        body = body.Replace("\"releaseType\":\"expiry\"", "\"releaseType\":\"expiry\",\"releaseType\":\"early\"", StringComparison.Ordinal);
        Assert.Contains("\"early\"", body, StringComparison.Ordinal);

        var response = await Api.Client("meizhou-centre").PostAsync("/api/releases", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("duplicate-key", problem.GetProperty("code").GetString());
        Assert.Equal("releaseType", problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("20300101", "441426", "441426", "person.idNumber")] // born in the future
    [InlineData("19900307", "991426", "441426", "person.idNumber")] // no such province
    [InlineData("19900307", "441426", "999999", "person.registeredRegion")]
    [InlineData("19900307", "441426", "441499", "person.registeredRegion")] // 梅州 has no county 99
    public async Task IdentityData_OutsideTheStandards_IsRefused(string birth, string idRegion, string registeredRegion, string field)
    {
        var id = TestData.IdNumber(idRegion, birth, Random.Shared.Next(1000));
        var body = JsonSerializer.Serialize(ReleaseBody(id), ApiFixture.Json).Replace("\"registeredRegion\":\"441426\"", $"\"registeredRegion\":\"{registeredRegion}\"", StringComparison.Ordinal);

        var response = await Api.Client("meizhou-centre").PostAsync("/api/releases", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task IdNumber_FromARegionSinceRenamed_IsAccepted()
    {
        // GB 11643: the address code is the county where the number was issued; it stays valid after the county is renamed or merged.
        // 441421 was 梅县 before it became 梅州市梅县区 (441403) in 2013.
        var id = TestData.IdNumber("441421", "19700101", Random.Shared.Next(1000));

        var response = await Api.Client("meizhou-centre").PostAsync("/api/releases",
            new StringContent(JsonSerializer.Serialize(ReleaseBody(id), ApiFixture.Json), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("postponement", """{"newReleaseDate":"DATE","reason":"原因一\n督办级别：已解除"}""", "reason")]
    [InlineData("cancellation", """{"reason":"撤销\r\n【督办已解除】"}""", "reason")]
    [InlineData("release", """{"collectedBy":{"kind":"family","name":"张父\n督办级别：已解除"}}""", "collectedBy.name")]
    [InlineData("release", """{"collectedBy":{"kind":"family","name":"\u200b\u200d"}}""", "collectedBy.name")]
    [InlineData("release", """{"collectedBy":{"kind":"family","name":"张\u0000父"}}""", "collectedBy.name")]
    [InlineData("release", """{"collectedBy":{"kind":"family","name":"张\u001b[2J父"}}""", "collectedBy.name")]
    public async Task TextThatWouldForgeANoticeLine_IsRefused(string command, string json, string field)
    {
        var caseId = (await RegisterAsync(daysAhead: 0)).GetProperty("caseId").GetString()!;
        json = json.Replace("DATE", Date(Today.AddDays(20)), StringComparison.Ordinal);

        var response = await Api.Client("meizhou-centre").PostAsync($"/api/cases/{caseId}/{command}", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("张三\n督办级别：已解除")]
    [InlineData("张三\u0007")]
    [InlineData("\u200b\u200c\u2060")]
    [InlineData("张\u0000三")]
    public async Task PersonName_ThatWouldForgeANoticeLine_IsRefused(string name)
    {
        var body = JsonSerializer.Serialize(ReleaseBody(TestData.UniqueIdNumber()), ApiFixture.Json).Replace("张某某", JsonEncodedText.Encode(name).ToString(), StringComparison.Ordinal);

        var response = await Api.Client("meizhou-centre").PostAsync("/api/releases", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("person.name", problem.GetProperty("field").GetString());
    }

    private static IEnumerable<(string Path, string Text)> Instants(JsonElement element) => Walk(element, "$");

    private static IEnumerable<(string Path, string Text)> Walk(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    foreach (var i in Walk(p.Value, $"{path}.{p.Name}"))
                    {
                        yield return i;
                    }
                }

                break;
            case JsonValueKind.Array:
                var n = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var i in Walk(item, $"{path}[{n++}]"))
                    {
                        yield return i;
                    }
                }

                break;
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (text.Length >= 20 && text[10] == 'T' && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    yield return (path, text);
                }

                break;
        }
    }
}
