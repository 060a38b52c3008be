using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Functions.Api;
using Handoff.Storage.Cases;
using Handoff.Storage.Emulator;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// The custom-handler contract: invocation payloads shaped like the Azure Functions documentation's example
/// (<c>Data</c> keyed by binding name, <c>Metadata</c> with DequeueCount, Id, InsertionTime…), answered with
/// <c>Outputs</c>, <c>Logs</c>, <c>ReturnValue</c>, and the effect checked in storage.
/// </summary>
[Collection(ApiCollection.Name)]
public class CustomHandlerTests(ApiFixture api) : ApiTestBase(api)
{
    private static object Invocation(string function, string message) => new
    {
        Data = new { message },
        Metadata = new Dictionary<string, object>
        {
            ["DequeueCount"] = 1,
            ["ExpirationTime"] = "9999-12-31T23:59:59+00:00",
            ["Id"] = Guid.NewGuid().ToString(),
            ["InsertionTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["NextVisibleTime"] = DateTimeOffset.UtcNow.AddSeconds(15).ToString("O"),
            ["PopReceipt"] = "AgAAAAMAAAAAAAAA",
            ["sys"] = new { MethodName = function, UtcNow = DateTimeOffset.UtcNow.ToString("O"), RandGuid = Guid.NewGuid().ToString() },
        },
    };

    private async Task<(HttpStatusCode Status, JsonElement Body)> InvokeAsync(string function, string message) =>
        await PostAsync("meizhou-centre", $"/{function}", Invocation(function, message));

    [Fact]
    public async Task WakeUps_LiveTimer_DeliversTheOutboxAndLeavesAHiddenCopyAsTheTimer()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;
        var store = Api.Services.GetRequiredService<CaseStore>();
        var queue = Api.Services.GetRequiredService<StorageClients>().Queue(StorageNames.WakeUpQueue);
        var record = (await store.LoadAsync(caseId)).Record!;
        var before = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        var (status, body) = await InvokeAsync("WakeUps", JsonSerializer.Serialize(new WakeUpMessage(caseId, record.TimerToken, record.Version), ApiFixture.Json));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Contains("Re-armed", body.GetProperty("Logs")[0].GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
        var after = (await store.LoadAsync(caseId)).Record!;
        Assert.Empty(after.Outbox);
        Assert.Equal(after.Version, after.IndexedVersion);
        Assert.Equal(before + 1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task WakeUps_StaleMessage_IsDoneWithoutEffect()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;

        var (status, body) = await InvokeAsync("WakeUps", JsonSerializer.Serialize(new WakeUpMessage(caseId, "old-token", 1), ApiFixture.Json));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Done.", body.GetProperty("Logs")[0].GetString());
    }

    [Theory]
    [InlineData("WakeUps", "not json")]
    [InlineData("WakeUps", "{\"caseId\":42}")]
    [InlineData("Webhooks", "{\"notice\":")]
    public async Task Invocation_MessageThatCannotBeHandled_Answers500WithTheErrorInLogs(string function, string message)
    {
        var (status, body) = await InvokeAsync(function, message);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.StartsWith("Failed:", body.GetProperty("Logs")[0].GetString());
    }

    [Fact]
    public async Task Invocation_WithoutDataMessage_Answers500()
    {
        var (status, body) = await PostAsync("meizhou-centre", "/WakeUps", new { Data = new { }, Metadata = new { } });

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("Data.message", body.GetProperty("Logs")[0].GetString());
    }

    [Fact]
    public async Task Webhooks_DeliveryToOrganisationWithoutWebhook_IsDone()
    {
        var notice = new JsonObject
        {
            ["notice"] = new JsonObject
            {
                ["id"] = "n-1", ["caseId"] = "HO-0000000000AB", ["recipientId"] = "pingyuan-nco", ["kind"] = "escalation",
                ["escalationId"] = null, ["escalationKind"] = null, ["level"] = 2, ["title"] = "t", ["body"] = "b",
                ["createdAt"] = "2026-03-18T00:00:00+08:00",
            },
        };

        var (status, _) = await InvokeAsync("Webhooks", notice.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public void FunctionFolders_MatchTheQueuesTheAppConsumes_AndHostJsonIsACustomHandler()
    {
        var root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var functions = Path.Combine(root, "functions");
        var consumed = Api.Services.GetServices<IQueueHandler>().Select(h => h.Queue).Order().ToList();
        var triggered = new Dictionary<string, string>();
        foreach (var file in Directory.GetFiles(functions, "function.json", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file))!;
            foreach (var binding in JsonNode.Parse(File.ReadAllText(file))!["bindings"]!.AsArray())
            {
                if ((string?)binding!["type"] == "queueTrigger")
                {
                    Assert.Equal("message", (string?)binding["name"]);
                    Assert.Equal("AzureWebJobsStorage", (string?)binding["connection"]);
                    triggered[name] = (string)binding["queueName"]!;
                }
            }
        }

        Assert.Equal(consumed, triggered.Values.Order().ToList());
        Assert.Equal(CustomHandlerApi.QueueFunctions.OrderBy(f => f.Key), triggered.OrderBy(f => f.Key));
        // HTTP reaches the app only under /api, /healthz and /openapi: the invocation endpoints (/WakeUps, /Webhooks) must never be
        // reachable from outside through the proxy, or anyone could make the app sign and send a webhook.
        var routes = Directory.GetFiles(functions, "function.json", SearchOption.AllDirectories)
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["bindings"]!.AsArray())
            .Where(b => (string?)b!["type"] == "httpTrigger")
            .Select(b => (string)b!["route"]!)
            .Order()
            .ToList();
        Assert.Equal(["api/{*path}", "healthz", "openapi/{*path}"], routes);

        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(functions, "host.json")))!;
        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal("Handoff.Functions", (string?)host["customHandler"]!["description"]!["defaultExecutablePath"]);
        Assert.True((bool)host["customHandler"]!["enableProxyingHttpRequest"]!);
        Assert.NotNull(host["extensionBundle"]);
        var queues = host["extensions"]!["queues"]!;
        Assert.Equal("none", (string?)queues["messageEncoding"]);
        Assert.True((int)queues["maxDequeueCount"]! >= 1);
        Assert.True(TimeSpan.Parse((string)queues["maxPollingInterval"]!, System.Globalization.CultureInfo.InvariantCulture) <= TimeSpan.FromSeconds(2));
    }
}
