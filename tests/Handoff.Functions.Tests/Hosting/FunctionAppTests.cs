using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Handoff.Api.Endpoints;
using Handoff.Api.Hosting;
using Handoff.Development;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Workflow;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// The Function App as the Functions host sees it — the host cannot run here, so these read what it would read: the functions the
/// worker reports (the source-generated metadata provider, used with worker indexing), the functions.metadata file the build writes,
/// worker.config.json and host.json.
/// </summary>
public class FunctionAppTests
{
    private static readonly string Root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;

    /// <summary>A function as its trigger declares it: name, trigger type, route, methods (lower case), queue and schedule.</summary>
    private sealed record Trigger(string Name, string Type, string? Route, string Methods, string? Queue, string? Schedule);

    [Fact]
    public void DevelopmentTooling_IsNotPartOfTheFunctionApp_AndStorageCodeHasNoAspNetCore()
    {
        var functions = typeof(Handoff.Functions.HttpFunctions).Assembly;
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<System.Reflection.AssemblyName>(functions.GetReferencedAssemblies());
        while (pending.TryDequeue(out var name))
        {
            if (name.Name!.StartsWith("Handoff.", StringComparison.Ordinal) && closure.Add(name.Name))
            {
                foreach (var next in System.Reflection.Assembly.Load(name).GetReferencedAssemblies())
                {
                    pending.Enqueue(next);
                }
            }
        }

        Assert.Contains("Handoff.Api", closure);
        Assert.DoesNotContain("Handoff.Development", closure);
        Assert.DoesNotContain("Handoff.SelfHost", closure);
        Assert.DoesNotContain(typeof(Handoff.Storage.Infrastructure.StorageClients).Assembly.GetReferencedAssemblies(),
            a => a.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GeneratedMetadata_HasOneHttpFunctionPerRoute_WithSameNameMethodAndRoute()
    {
        var triggers = await GeneratedTriggersAsync();

        var http = triggers.Where(t => t.Type == "httpTrigger").ToList();
        foreach (var route in HandoffRoutes.All.Except(ChainSteps.Steps))
        {
            var function = Assert.Single(http, t => t.Name == route.Name);
            Assert.Equal(route.Route, function.Route);
            Assert.Equal(route.Method.ToLowerInvariant(), function.Methods);
        }

        // Every step before the release is served by one function whose route's last segment names the step.
        var steps = Assert.Single(http, t => t.Name == Handoff.Functions.HttpFunctions.CaseStepFunction);
        Assert.Equal(ChainSteps.StepRoute, steps.Route);
        Assert.Equal("post", steps.Methods);
        Assert.All(ChainSteps.Steps, route =>
        {
            Assert.Equal("POST", route.Method);
            Assert.StartsWith(ChainSteps.StepPrefix, route.Route, StringComparison.Ordinal);
            Assert.Same(route, ChainSteps.Named(route.Route[ChainSteps.StepPrefix.Length..]));
        });

        foreach (var page in PageRoutes.All)
        {
            var function = Assert.Single(http, t => t.Name == page.Name);
            Assert.Equal(page.Route, function.Route);
            Assert.Equal(page.Method.ToLowerInvariant(), function.Methods);
        }

        Assert.Equal(HandoffRoutes.All.Except(ChainSteps.Steps).Select(r => r.Name).Append(Handoff.Functions.HttpFunctions.CaseStepFunction)
                .Concat(PageRoutes.All.Select(p => p.Name)).Order(StringComparer.Ordinal),
            http.Select(t => t.Name).Order(StringComparer.Ordinal));

        Assert.Single(triggers, t => t.Type == "orchestrationTrigger" && t.Name == CaseOrchestration.Name);
        Assert.Equal([ApplyPendingActivity.Name, ApplyStepActivity.Name, NoteBlockedActivity.Name],
            triggers.Where(t => t.Type == "activityTrigger").Select(t => t.Name).Order(StringComparer.Ordinal));
        var timer = Assert.Single(triggers, t => t.Type == "timerTrigger");
        Assert.Equal("0 */1 * * * *", timer.Schedule);
        Assert.Single(triggers, t => t.Type == "queueTrigger" && t.Queue == StorageNames.WebhookQueue);
        Assert.Single(triggers, t => t.Type == "queueTrigger" && t.Queue == StorageNames.ChannelQueue && t.Name == "Channels");
        Assert.Equal(HandoffRoutes.All.Count - ChainSteps.Steps.Count + 1 + PageRoutes.All.Count + 7, triggers.Count);
    }

    [Fact]
    public async Task FunctionsMetadataFile_MatchesGeneratedMetadata()
    {
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(BuildOutput(), "functions.metadata")))!.AsArray();
        var fromFile = file.Select(f => ToTrigger((string)f!["name"]!, f["bindings"]!.AsArray().Select(b => b!))).ToHashSet();

        var generated = await GeneratedTriggersAsync();

        Assert.Equal(generated.Count, fromFile.Count);
        Assert.True(fromFile.SetEquals(generated), "functions.metadata and the worker's generated metadata differ: rebuild the Function App");
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryHttpFunction_WithItsMethodAndName()
    {
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(BuildOutput(), "functions.metadata")))!.AsArray();
        var document = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "functions", "Handoff.Api", "openapi", "v1.json")))!;

        var pages = PageRoutes.All.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var http = file.Select(f => ToTrigger((string)f!["name"]!, f["bindings"]!.AsArray().Select(b => b!)))
            .Where(t => t.Type == "httpTrigger" && !pages.Contains(t.Name)).ToList();
        Assert.Equal(HandoffRoutes.All.Count - ChainSteps.Steps.Count + 1, http.Count);
        var steps = Assert.Single(http, f => f.Name == Handoff.Functions.HttpFunctions.CaseStepFunction);
        http.Remove(steps);
        http.AddRange(ChainSteps.Steps.Select(r => steps with { Name = r.Name, Route = r.Route }));
        foreach (var function in http)
        {
            foreach (var method in function.Methods.Split(','))
            {
                var operation = document["paths"]?["/" + function.Route]?[method];
                Assert.True(operation is not null, $"{function.Name}: {method.ToUpperInvariant()} /{function.Route} is not in the OpenAPI document");
                Assert.Equal(function.Name, (string?)operation["operationId"]);
            }
        }

        var operations = document["paths"]!.AsObject().Sum(p => p.Value!.AsObject().Count);
        Assert.Equal(http.Sum(f => f.Methods.Split(',').Length), operations);
    }

    [Fact]
    public async Task OpenApiFunction_ServesTheCommittedDocument_FromTheBuildOutput()
    {
        var committed = await File.ReadAllBytesAsync(Path.Combine(Root, "functions", "Handoff.Api", "openapi", "v1.json"));

        Assert.Equal(committed, await File.ReadAllBytesAsync(Path.Combine(BuildOutput(), OpenApiEndpoint.RelativePath)));
        var result = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.PhysicalFileHttpResult>(
            await HandoffRoutes.GetOpenApiDocument.Handler(new HandoffRequest(new Microsoft.AspNetCore.Http.DefaultHttpContext(), null, null!)));
        Assert.Equal("application/json", result.ContentType);
        Assert.Equal(committed, await File.ReadAllBytesAsync(result.FileName));
    }

    [Fact]
    public async Task HostJson_DurableSettings_EqualTheSelfHostDefaults()
    {
        var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "functions", "Handoff.Functions", "host.json")))!;
        var expected = new DurableSettings();

        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Null(host["customHandler"]);
        Assert.Null(host["extensionBundle"]);
        Assert.Equal("", (string?)host["extensions"]!["http"]!["routePrefix"]);

        var durable = host["extensions"]!["durableTask"]!;
        Assert.Equal("%" + TaskHubName.Setting + "%", (string?)durable["hubName"]);
        Assert.Equal(expected.MaxConcurrentActivityFunctions, (int)durable["maxConcurrentActivityFunctions"]!);
        Assert.Equal(expected.MaxConcurrentOrchestratorFunctions, (int)durable["maxConcurrentOrchestratorFunctions"]!);
        var storage = durable["storageProvider"]!;
        Assert.Equal(expected.PartitionCount, (int)storage["partitionCount"]!);
        Assert.Equal(expected.MaxQueuePollingInterval, Duration(storage["maxQueuePollingInterval"]));
        Assert.Equal(expected.ControlQueueVisibilityTimeout, Duration(storage["controlQueueVisibilityTimeout"]));
        Assert.Equal(expected.WorkItemQueueVisibilityTimeout, Duration(storage["workItemQueueVisibilityTimeout"]));

        // Webhook deliveries: plain JSON on the queue (our clients use QueueMessageEncoding.None), poisoned after the handler's limit.
        var queues = host["extensions"]!["queues"]!;
        Assert.Equal("none", (string?)queues["messageEncoding"]);
        Assert.Equal(8, (int)queues["maxDequeueCount"]!);
    }

    [Fact]
    public async Task WebhookQueue_IsPolledWhenIdle_AsRarelyByBothHosts_WithinTheIdleBudget()
    {
        // Idle budget (issue "Durable Functions for real"): ≤ 45 storage requests a minute per instance. The engine takes 26 at our
        // settings and the reconciler 2 (docs/benchmarks.md); an idle webhook queue polled every 500 ms took 120 more.
        var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "functions", "Handoff.Functions", "host.json")))!;
        var functions = Duration(host["extensions"]!["queues"]!["maxPollingInterval"]);
        var selfHost = Handoff.SelfHost.WebhookPump.Options.MaxIdleDelay;

        Assert.Equal(WebhookHandler.IdlePollingInterval, functions);
        Assert.Equal(WebhookHandler.IdlePollingInterval, selfHost);
        Assert.True(26 + 2 + TimeSpan.FromMinutes(1) / WebhookHandler.IdlePollingInterval <= 45, $"{WebhookHandler.IdlePollingInterval} polls too often");
    }

    [Fact]
    public async Task WorkerConfig_UsesWorkerIndexing()
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(BuildOutput(), "worker.config.json")))!;

        Assert.Equal("dotnet-isolated", (string?)config["description"]!["language"]);
        Assert.Equal("true", config["description"]!["workerIndexing"]!.ToString(), ignoreCase: true);
        Assert.Equal("Handoff.Functions.dll", (string?)config["description"]!["defaultWorkerPath"]);
    }

    private static async Task<List<Trigger>> GeneratedTriggersAsync()
    {
        var metadata = await new Handoff.Functions.GeneratedFunctionMetadataProvider().GetFunctionMetadataAsync(BuildOutput());
        return metadata.Select(f => ToTrigger(f.Name!, f.RawBindings!.Select(b => JsonNode.Parse(b)!))).ToList();
    }

    private static Trigger ToTrigger(string name, IEnumerable<JsonNode> bindings)
    {
        var trigger = Assert.Single(bindings, b => ((string?)b["type"])?.EndsWith("Trigger", StringComparison.Ordinal) == true);
        var methods = (trigger["methods"]?.AsArray() ?? []).Select(m => ((string)m!).ToLowerInvariant()).Order(StringComparer.Ordinal);
        return new Trigger(name, (string)trigger["type"]!, (string?)trigger["route"], string.Join(",", methods), (string?)trigger["queueName"], (string?)trigger["schedule"]);
    }

    private static TimeSpan Duration(JsonNode? value) => TimeSpan.Parse((string)value!, CultureInfo.InvariantCulture);

    /// <summary>
    /// The Function App's build output, where the Worker SDK writes functions.metadata and worker.config.json: beside the
    /// Handoff.Functions.dll this test loaded if the SDK's files are there, else the project's own bin folder for the configuration
    /// that assembly was built in (a project reference builds it there first).
    /// </summary>
    private static string BuildOutput()
    {
        var assembly = typeof(HttpFunctions).Assembly;
        var beside = Path.GetDirectoryName(assembly.Location)!;
        if (File.Exists(Path.Combine(beside, "functions.metadata")) && File.Exists(Path.Combine(beside, "worker.config.json")))
        {
            return beside;
        }

        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var bin = Path.Combine(Root, "functions", "Handoff.Functions", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(bin, "functions.metadata")), $"no functions.metadata beside {assembly.Location} nor in {bin}: build functions/Handoff.Functions");
        return bin;
    }
}
