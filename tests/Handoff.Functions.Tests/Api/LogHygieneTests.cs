using System.Net;
using System.Text;
using System.Text.Json;
using Handoff.Testing;
using Microsoft.Extensions.Logging;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// A fuzzing session's worth of client mistakes: each answers a 4xx problem with a <c>code</c>, and the logs carry no stack trace,
/// no error, no forged line and no clear identity number (戒毒条例 7②).
/// </summary>
[Collection(ApiCollection.Name)]
public class LogHygieneTests(ApiFixture api) : ApiTestBase(api)
{
    private const string ForgedLine = "督办级别：已解除";

    [Fact]
    public async Task ClientMistakes_Answer4xxProblemsWithACode_AndLeaveNoRawValuesOrStackTracesInTheLogs()
    {
        var idNumber = TestData.UniqueIdNumber();
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;
        var mark = Api.Logs.Mark;
        var forged = Uri.EscapeDataString($"x\r\n{ForgedLine}");
        var requests = new List<(HttpMethod Method, string Path, HttpContent? Body)>
        {
            (HttpMethod.Get, $"/api/cases?take={idNumber}", null),
            (HttpMethod.Get, "/api/cases?take=abc", null),
            (HttpMethod.Get, $"/api/cases?state={forged}", null),
            (HttpMethod.Get, $"/api/escalations?status={forged}", null),
            (HttpMethod.Get, $"/api/cases?continuationToken={forged}", null),
            (HttpMethod.Get, $"/api/notices?take={idNumber}", null),
            (HttpMethod.Get, $"/api/cases/{idNumber}", null),
            (HttpMethod.Get, $"/api/cases/{caseId}/commands/{forged}", null),
            (HttpMethod.Get, $"/api/nothing-here/{idNumber}", null),
            (HttpMethod.Delete, "/api/releases", null),
            (HttpMethod.Put, $"/api/cases/{caseId}", null),
            (HttpMethod.Post, "/api/releases", new StringContent("{\"person\":", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, "/api/releases", new StringContent($"{{\"person\":{{\"idNumber\":\"{idNumber}\"}}", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, "/api/releases", new StringContent($"id={idNumber}", Encoding.UTF8, "application/x-www-form-urlencoded")),
            (HttpMethod.Post, "/api/releases", new StringContent(new string(' ', 70_000) + "{}", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, $"/api/cases/{caseId}/report", new StringContent($"{{\"reportedAt\":\"{idNumber}\"}}", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, $"/api/cases/{caseId}/postponement", new StringContent($"{{\"newReleaseDate\":\"{idNumber}\"}}", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, $"/api/cases/{caseId}/cancellation", new StringContent(JsonSerializer.Serialize(new { reason = $"x\n{ForgedLine}" }), Encoding.UTF8, "application/json")),
        };

        var answers = new List<string>();
        foreach (var (method, path, body) in requests)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body };
            request.Headers.TryAddWithoutValidation("Idempotency-Key", $"k\r\n{ForgedLine}");
            var response = await Api.Client("meizhou-centre").SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            answers.Add($"{method} {path[..Math.Min(path.Length, 60)]} → {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");

            Assert.True((int)response.StatusCode is >= 400 and < 500, answers[^1]);
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", answers[^1]);
            using var problem = JsonDocument.Parse(text);
            Assert.True(problem.RootElement.TryGetProperty("code", out var code) && code.GetString() is { Length: > 0 }, answers[^1]);
            Assert.DoesNotContain(idNumber, text, StringComparison.Ordinal);
        }

        var logged = Api.Logs.Since(mark).ToList();
        var report = string.Join("\n", answers) + "\n--- logs ---\n" + string.Join("\n", logged.Select(e => e.ToString()[..Math.Min(e.ToString().Length, 300)]));
        Assert.DoesNotContain(logged, e => e.Message.Contains(idNumber, StringComparison.Ordinal) || (e.Exception?.ToString().Contains(idNumber, StringComparison.Ordinal) ?? false));
        Assert.DoesNotContain(logged, e => e.Message.Contains(ForgedLine, StringComparison.Ordinal));
        Assert.True(!logged.Any(e => e.Level >= LogLevel.Error), report);
        Assert.True(!logged.Any(e => e.Exception is not null && e.Level >= LogLevel.Information), report);
    }
}
