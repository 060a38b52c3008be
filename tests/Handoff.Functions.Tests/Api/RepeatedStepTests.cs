using System.Net;
using Azure.Data.Tables;
using Handoff.Api.Hosting;
using Handoff.Core.Cases;
using Handoff.Testing;
using Handoff.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// A step raised again — a client retrying a command after 202 with its Idempotency-Key, the reconciler nudging a case once a sweep
/// while its orchestration is behind — must cost the orchestration nothing once the step is applied. The soak found cases whose
/// orchestration had hundreds of such repeats queued and spent its episodes applying them one by one (an activity, a timer and three
/// replays each), never reaching the step the office was waiting for.
/// </summary>
[Collection(ApiCollection.Name)]
public class RepeatedStepTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task RepeatedStep_IsAppliedOnce_WithOneActivity_AndTheNextStepGoesThrough()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;
        var commandId = "repeat" + Guid.NewGuid().ToString("N")[..16];
        var ack = new CaseStep(commandId, new AcknowledgeNotice(TestData.As("pingyuan-dazhe-office")), Api.Time.GetUtcNow());

        for (var i = 0; i < 20; i++)
        {
            await Api.Services.GetRequiredService<CaseInstances>().RaiseAsync(Api.Engine, caseId, ack);
        }

        var released = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } });

        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal("released", released.Body.GetProperty("state").GetString());
        // Nothing falls due within the test (the release date is ten days ahead, on the real clock): the activity ran for the
        // registration, the acknowledgement once, and the release.
        Assert.Equal(3, await ActivitiesAsync(caseId));
    }

    [Fact]
    public async Task CommandRetriedWhileStillPending_IsRaisedOnce()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;
        await Api.Engine.SuspendInstanceAsync(caseId);
        await ApiFixture.EventuallyAsync(() => Api.Engine.GetInstanceAsync(caseId), i => i?.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Suspended,
            TimeSpan.FromSeconds(20), "the orchestration suspended");

        // The office acknowledges; its orchestration is held, so the API would answer 202 — the client gives up waiting and retries with
        // the same key, twice, as a client does after a 202 or a dropped connection.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/acknowledgement") { Content = System.Net.Http.Json.JsonContent.Create(new { }) };
            request.Headers.Add("Idempotency-Key", "ack-retried");
            using var impatient = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Api.Client("pingyuan-dazhe-office").SendAsync(request, impatient.Token));
        }

        await Api.Engine.ResumeInstanceAsync(caseId);
        var acknowledged = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement", idempotencyKey: "ack-retried");

        Assert.Equal("acknowledged", acknowledged.Body.GetProperty("state").GetString());
        Assert.Equal(1, await RaisedAsync(caseId));
    }

    /// <summary>How many steps were raised to the case's orchestration (the registration travels in its input, not as an event).</summary>
    private async Task<int> RaisedAsync(string caseId)
    {
        var hub = Api.Services.GetRequiredService<TaskHubName>().Value;
        var history = new TableClient(Api.ConnectionString, hub + "History");
        var count = 0;
        await foreach (var row in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")))
        {
            count += row.GetString("EventType") == "EventRaised" ? 1 : 0;
        }

        return count;
    }

    /// <summary>How many times the case's orchestration scheduled its activity (the engine keeps no activity inputs in its history).</summary>
    private async Task<int> ActivitiesAsync(string caseId)
    {
        var hub = Api.Services.GetRequiredService<TaskHubName>().Value;
        var history = new TableClient(Api.ConnectionString, hub + "History");
        var count = 0;
        await foreach (var row in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")))
        {
            if (row.GetString("EventType") == "TaskScheduled")
            {
                count++;
            }
        }

        return count;
    }
}
