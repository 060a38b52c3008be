using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Api;

/// <summary>Helpers for calling the API as the organisations of the test directory and reading its answers.</summary>
public abstract class ApiTestBase(ApiFixture api)
{
    protected ApiFixture Api => api;

    /// <summary>Today in Asia/Shanghai on the test clock (tests in the collection move it forward, never back).</summary>
    protected DateOnly Today => Handoff.Core.Time.ChinaTime.LocalDate(Api.Time.GetUtcNow());

    protected static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    protected object ReleaseBody(string idNumber, int daysAhead = 10, int years = 3, string office = "pingyuan-dazhe-office") => new
    {
        person = new { name = "张某某", idNumber, registeredRegion = "441426", residenceRegion = "441426" },
        releaseDate = Date(Today.AddDays(daysAhead)),
        releaseType = "expiry",
        rehabilitationYears = years,
        receivingOfficeId = office,
        policeStationId = "pingyuan-dazhe-police",
        decisionAuthorityId = "meizhou-psb",
    };

    protected async Task<JsonElement> RegisterAsync(string? idNumber = null, int daysAhead = 10)
    {
        var response = await Api.Client("meizhou-centre").PostAsJsonAsync("/api/releases", ReleaseBody(idNumber ?? TestData.UniqueIdNumber(), daysAhead));
        var body = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    protected async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string organisation, string path, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var response = await Api.Client(organisation).SendAsync(request);
        return (response.StatusCode, await ReadAsync(response));
    }

    protected async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string? organisation, string path)
    {
        var response = await Api.Client(organisation).GetAsync(path);
        return (response.StatusCode, await ReadAsync(response));
    }

    /// <summary>Every item of a paged list, following the continuation tokens.</summary>
    protected async Task<List<JsonElement>> ListAllAsync(string organisation, string path)
    {
        var items = new List<JsonElement>();
        string? token = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            var page = await GetAsync(organisation, token is null ? path : $"{path}{separator}continuationToken={Uri.EscapeDataString(token)}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            items.AddRange(page.Body.GetProperty("items").EnumerateArray());
            token = page.Body.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);
        return items;
    }

    protected static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    protected static string Deadline(JsonElement c, string step, string property) =>
        c.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("step").GetString() == step).GetProperty(property).ToString();
}
