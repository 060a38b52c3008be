using System.Net;
using Azure.Data.Tables;
using Handoff.Functions.Tests.Api;
using Handoff.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Functions.Tests.Commands;

/// <summary>What the reconciler restores, how often, and what it clears away once a case is closed.</summary>
[Collection(ApiCollection.Name)]
public class ReconcilerRestoreTests(ApiFixture api) : ApiTestBase(api)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task OrchestrationLostAgainAndAgain_IsRestoredEachTime_NeverAbandoned()
    {
        // A lost or terminated orchestration says nothing about the case: storage incidents at midnight used up a case's three restores
        // for the whole of its life, and the fourth left it to a log line.
        var caseId = (await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!;
        var reconciler = Reconciler(new ReconcilerOptions { Grace = TimeSpan.FromSeconds(1) });
        for (var loss = 1; loss <= 4; loss++)
        {
            await Api.Engine.TerminateInstanceAsync(caseId);
            await ApiFixture.EventuallyAsync(() => Api.Engine.GetInstanceAsync(caseId), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, Patience, "terminated");

            var result = await reconciler.SweepAsync(Api.Engine, fullPass: true);

            Assert.True(result.Restored >= 1, $"loss {loss}: not restored");
            await ApiFixture.EventuallyAsync(() => Api.Engine.GetInstanceAsync(caseId), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Running, Patience, $"running after loss {loss}");
        }

        var acknowledged = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement");
        Assert.Equal(HttpStatusCode.OK, acknowledged.Status);
    }

    [Fact]
    public async Task FailedOrchestration_IsRestored_ItsErrorKeptForTheOperator_AndTheCaseGoesOn()
    {
        // A restore no longer purges the failed instance first (its history went, and with it what the operator needed): the new
        // execution replaces it, and the failure's error is kept in the case's restore row.
        var caseId = (await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!;
        await Api.Engine.TerminateInstanceAsync(caseId);
        await ApiFixture.EventuallyAsync(() => Api.Engine.GetInstanceAsync(caseId), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, Patience, "terminated");
        var fromANewerBuild = Api.Services.GetRequiredService<CaseInstances>().Input(caseId) with { SchemaVersion = CaseOrchestration.SchemaVersion + 1 };
        await Api.Engine.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, fromANewerBuild, new Microsoft.DurableTask.StartOrchestrationOptions(caseId));
        await ApiFixture.EventuallyAsync(() => Api.Engine.GetInstanceAsync(caseId), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Failed, Patience, "failed");

        var result = await Reconciler(new ReconcilerOptions { Grace = TimeSpan.FromSeconds(1) }).SweepAsync(Api.Engine, fullPass: true);

        Assert.True(result.Restored >= 1);
        var restores = await Api.Services.GetRequiredService<Handoff.Storage.Cases.CaseStore>().RestoresAsync(caseId);
        Assert.Equal(("Failed", 1), (restores!.LastStatus, restores.FailedInARow));
        Assert.Contains("newer build", restores.LastFailure, StringComparison.Ordinal);
        await ApiFixture.EventuallyAsync(() => Api.Engine.GetInstanceAsync(caseId), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Running, Patience, "running again");
        Assert.Equal("acknowledged", (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task FullPass_ClearsTheCommandRowsOfACaseClosedLongerThanTheRetention_AndKeepsItsFile()
    {
        var caseId = (await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!;
        await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement", idempotencyKey: "ack-" + caseId);
        var cancelled = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/cancellation", new { reason = "决定撤销" });
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        Assert.NotEmpty(await RowKeysAsync(caseId, "c"));

        await Reconciler(new ReconcilerOptions { Grace = TimeSpan.FromSeconds(1), CommandRetention = TimeSpan.Zero }).SweepAsync(Api.Engine, fullPass: true);

        Assert.Empty(await RowKeysAsync(caseId, "c"));
        Assert.Empty(await RowKeysAsync(caseId, "r"));
        var file = (await GetAsync("meizhou-centre", $"/api/cases/{caseId}")).Body;
        Assert.Equal("cancelled", file.GetProperty("state").GetString());
        Assert.True(file.GetProperty("history").GetArrayLength() >= 3);
    }

    [Fact]
    public async Task Sweep_RemovesADueRowThatIsNotTheCasesDueInstant()
    {
        // Two attempts of a step publishing out of order leave the earlier one's due row behind: the soak found 44 such rows, each read
        // as overdue by every sweep for ever. The sweep that reads one removes it, and leaves the case's own.
        var caseId = (await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!;
        var index = Api.Services.GetRequiredService<Handoff.Storage.Index.CaseIndexStore>();
        var c = (await Api.Services.GetRequiredService<Handoff.Storage.Cases.CaseStore>().LoadAsync(caseId)).Record!.State;
        var stale = Api.Time.GetUtcNow().AddDays(-3);
        await new TableClient(Api.ConnectionString, "CaseIndex").UpsertEntityAsync(
            new TableEntity(Handoff.Storage.Index.CaseIndexStore.Partition(false, index.HomeProvince(c)), Handoff.Storage.Index.CaseIndexStore.DueRowKey(stale, caseId)) { ["CaseId"] = caseId });
        Assert.Contains(await DueRowsAsync(index, caseId), d => d == stale);

        var result = await Reconciler(new ReconcilerOptions { Grace = TimeSpan.FromSeconds(1) }).SweepAsync(Api.Engine, fullPass: false);

        Assert.True(result.StaleDue >= 1);
        Assert.Equal([Handoff.Core.Workflow.CaseWorkflow.NextDueAt(c)!.Value], await DueRowsAsync(index, caseId));
    }

    private static async Task<List<DateTimeOffset>> DueRowsAsync(Handoff.Storage.Index.CaseIndexStore index, string caseId) =>
        [.. (await index.DueBeforeAsync(DateTimeOffset.MaxValue.AddDays(-1), 5000)).Where(d => d.CaseId == caseId).Select(d => d.DueAt)];

    private CaseReconciler Reconciler(ReconcilerOptions options) =>
        ActivatorUtilities.CreateInstance<CaseReconciler>(Api.Services, options, new ReconcilerHealth());

    private async Task<List<string>> RowKeysAsync(string caseId, string prefix)
    {
        var table = new TableClient(Api.ConnectionString, "Cases");
        var keys = new List<string>();
        var next = prefix[..^1] + (char)(prefix[^1] + 1);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {prefix} and RowKey lt {next}"), select: ["RowKey"]))
        {
            if (row.RowKey != "case")
            {
                keys.Add(row.RowKey);
            }
        }

        return keys;
    }
}
