using System.Text.Json.Nodes;
using Handoff.Development;
using Handoff.Functions.Tests.Api;
using Handoff.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// One rule in both hosts: starting an instance whose id is running is refused, never an overwrite of a running case. Durable
/// Functions' default (<c>overridableExistingInstanceStates: AnyState</c>) would replace the running orchestration of a case with a
/// new one; host.json must say <c>NonRunningStates</c>, and the self-host's client passes the same statuses to the engine.
/// </summary>
[Collection(ApiCollection.Name)]
public class InstanceStartTests(ApiFixture api) : ApiTestBase(api)
{
    private static readonly string Root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;

    [Fact]
    public async Task HostJson_RefusesToOverwriteARunningInstance()
    {
        var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "functions", "Handoff.Functions", "host.json")))!;

        Assert.Equal("NonRunningStates", (string?)host["extensions"]!["durableTask"]!["overridableExistingInstanceStates"]);
    }

    [Fact]
    public async Task SelfHost_StartUnderARunningId_IsRefused_AndTheRunningCaseGoesOn()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;
        var before = await Api.Engine.GetInstanceAsync(caseId, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Running, before!.RuntimeStatus);

        var input = new CaseOrchestrationInput(CaseOrchestration.SchemaVersion, caseId, Api.Time.Clock, TimeSpan.FromSeconds(1), null, null, Generation: 7);
        var refused = await Record.ExceptionAsync(() => Api.Engine.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, input, new StartOrchestrationOptions(caseId)));

        Assert.NotNull(refused);
        Assert.True(Api.Services.GetRequiredService<CaseInstances>().IsAlreadyStarted(refused), $"{refused.GetType().FullName}: {refused.Message}");
        var after = await Api.Engine.GetInstanceAsync(caseId, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Running, after!.RuntimeStatus);
        Assert.Equal(before.SerializedInput, after.SerializedInput);
        var acknowledged = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement");
        Assert.Equal("acknowledged", acknowledged.Body.GetProperty("state").GetString());
    }
}
