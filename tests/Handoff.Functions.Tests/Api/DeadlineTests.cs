using System.Net;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Testing;
using Handoff.Workflow;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// Deadlines and escalations on the engine's real durable timers, with the workflow clock 200,000 times real time (a legal day in
/// 0.43 s): nothing is faked, days are compressed through the same clock mapping the demo uses. Releases are registered a few legal
/// days ahead (about a second) and recorded at once: a loaded machine can take longer than a legal day to answer the registration.
/// </summary>
[Collection(ApiCollection.Name)]
public class DeadlineTests(FastApiFixture api) : ApiTestBase(api)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task MissedReport_EscalatesClimbsToTheProvince_AndResolvesOnTheReport()
    {
        var caseId = (await RegisterAsync(daysAhead: 3)).GetProperty("caseId").GetString()!;
        await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement");
        var released = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } });
        Assert.Equal("released", released.Body.GetProperty("state").GetString());
        var dueAt = DateTimeOffset.Parse(Deadline(released.Body, "report", "dueAt"), System.Globalization.CultureInfo.InvariantCulture);

        var lost = await ApiFixture.EventuallyAsync(() => CaseAsync(caseId), c => NotReported(c)?.GetProperty("level").GetInt32() >= 4, Patience,
            "a not-reported escalation at the province (level 4)");

        Assert.Equal("lostContact", lost.GetProperty("state").GetString());
        var escalation = NotReported(lost)!.Value;
        Assert.True(escalation.GetProperty("openedAt").GetDateTimeOffset() >= dueAt, "opened before the report deadline ended");
        // The lists are written after the case row (the step's commit), so they are read until they show it.
        await ApiFixture.EventuallyAsync(() => ListAllAsync("guangdong-nco", "/api/escalations?status=open"),
            list => list.Any(e => e.GetProperty("caseId").GetString() == caseId && e.GetProperty("escalation").GetProperty("level").GetInt32() >= 4), Patience,
            "the province's open escalations list the case");
        var county = await GetAsync("pingyuan-nco", "/api/notices?take=100");
        Assert.Contains(county.Body.EnumerateArray(), n => n.GetProperty("caseId").GetString() == caseId && n.GetProperty("kind").GetString() == "escalation");

        var reported = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/report");

        Assert.Equal("reported", reported.Body.GetProperty("state").GetString());
        Assert.Equal("resolved", NotReported(reported.Body)!.Value.GetProperty("status").GetString());
        var resolvedNotices = await GetAsync("guangdong-nco", "/api/notices?take=100");
        Assert.Single(resolvedNotices.Body.EnumerateArray(), n => n.GetProperty("caseId").GetString() == caseId && n.GetProperty("kind").GetString() == "escalation-resolved"
            && n.GetProperty("escalationKind").GetString() == "not-reported"); // a slow machine may also have let the release date pass
    }

    [Fact]
    public async Task Report_ReceivedBeforeTheDeadline_ButReachingTheOrchestrationAfterIt_IsOnTime()
    {
        var caseId = (await RegisterAsync(daysAhead: 3)).GetProperty("caseId").GetString()!;
        await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement");
        var released = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } });
        var dueAt = DateTimeOffset.Parse(Deadline(released.Body, "report", "dueAt"), System.Globalization.CultureInfo.InvariantCulture);

        // The API received the report a legal minute before the deadline; it reaches the orchestration only after the deadline has
        // ended (but within the orchestration's grace), as a command delayed by the engine's polling would.
        var deadlineReal = Api.Time.Clock.ToReal(dueAt);
        await Task.Delay(Max(TimeSpan.Zero, deadlineReal - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50)));
        Assert.True(Api.Time.GetUtcNow() > dueAt);
        var step = new CaseStep("late-delivery", new RecordReport(TestData.As("pingyuan-dazhe-office"), dueAt.AddMinutes(-1)), dueAt.AddMinutes(-1));
        await Api.Services.GetRequiredService<CaseInstances>().RaiseAsync(Api.Engine, caseId, step);

        var reported = await ApiFixture.EventuallyAsync(() => CaseAsync(caseId), c => c.GetProperty("state").GetString() == "reported", Patience, "the report applied");

        var history = string.Join("\n", reported.GetProperty("history").EnumerateArray().Select(h => $"{h.GetProperty("type")} {h.GetProperty("at")} {h.GetProperty("details")}"));
        Assert.True(Deadline(reported, "report", "status") == "met", $"due {dueAt:O}, history:\n{history}");
        Assert.Null(NotReported(reported));
    }

    [Fact]
    public async Task Reconciler_CaseWhoseOrchestrationWasPurged_IsRestoredFromOurRecord_AndGoesOn()
    {
        var caseId = (await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!;
        await Api.Engine.TerminateInstanceAsync(caseId);
        await Api.Engine.WaitForInstanceCompletionAsync(caseId);
        await Api.Engine.PurgeInstanceAsync(caseId);
        Assert.Null(await Api.Engine.GetInstanceAsync(caseId));

        var result = await Reconciler().SweepAsync(Api.Engine, fullPass: true);

        Assert.True(result.Restored >= 1);
        var instance = await Api.Engine.WaitForInstanceStartAsync(caseId);
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance.RuntimeStatus);
        var acknowledged = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement");
        Assert.Equal(HttpStatusCode.OK, acknowledged.Status);
        Assert.Equal("acknowledged", acknowledged.Body.GetProperty("state").GetString());
        Assert.Equal("ReleaseRegistered", acknowledged.Body.GetProperty("history")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Reconciler_FullPass_PurgesTheEngineHistoryOfClosedCases_PastTheRetention_AndKeepsOpenOnes()
    {
        var closedId = (await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!;
        var openId = (await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!;
        var cancelled = await PostAsync("meizhou-centre", $"/api/cases/{closedId}/cancellation", new { reason = "决定撤销" });
        Assert.Equal(HttpStatusCode.OK, cancelled.Status);
        await Api.Engine.WaitForInstanceCompletionAsync(closedId, cancellation: new CancellationTokenSource(Patience).Token);

        var result = await Reconciler(new ReconcilerOptions { Grace = TimeSpan.FromSeconds(1), PurgeAfter = TimeSpan.Zero }).SweepAsync(Api.Engine, fullPass: true);

        Assert.True(result.Purged >= 1, $"purged {result.Purged}");
        Assert.Null(await Api.Engine.GetInstanceAsync(closedId));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Api.Engine.GetInstanceAsync(openId))?.RuntimeStatus);

        // Our own record, the person's file, stays: only the engine's copy of the history is gone.
        var closed = await CaseAsync(closedId);
        Assert.Equal("cancelled", closed.GetProperty("state").GetString());
        Assert.True(closed.GetProperty("history").GetArrayLength() >= 2);
    }

    [Fact]
    public async Task Reconciler_FullPass_ListsLiveOrchestrationsInBulk_AndLooksOnlyAtTheOthersOneByOne()
    {
        // A daily lookup per open case was 2 requests per case a day, 14 of the 10-a-week budget of a parked case (docs/benchmarks.md).
        var parked = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            parked.Add((await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!);
        }

        var result = await Reconciler().SweepAsync(Api.Engine, fullPass: true);

        Assert.True(result.Open >= parked.Count, $"open {result.Open}");
        Assert.True(result.Live >= parked.Count, $"live {result.Live}");
        Assert.True(result.Checked <= result.Open - parked.Count, $"checked {result.Checked} of {result.Open} open, {result.Live} live");
    }

    [Fact]
    public async Task Reconciler_DueSweep_DoesNotPurge()
    {
        var closedId = (await RegisterAsync(daysAhead: 30)).GetProperty("caseId").GetString()!;
        await PostAsync("meizhou-centre", $"/api/cases/{closedId}/cancellation", new { reason = "决定撤销" });
        await Api.Engine.WaitForInstanceCompletionAsync(closedId, cancellation: new CancellationTokenSource(Patience).Token);

        var result = await Reconciler(new ReconcilerOptions { Grace = TimeSpan.FromSeconds(1), PurgeAfter = TimeSpan.Zero }).SweepAsync(Api.Engine, fullPass: false);

        Assert.Equal(0, result.Purged);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await Api.Engine.GetInstanceAsync(closedId))?.RuntimeStatus);
    }

    private CaseReconciler Reconciler(ReconcilerOptions? options = null) =>
        ActivatorUtilities.CreateInstance<CaseReconciler>(Api.Services, options ?? new ReconcilerOptions { Grace = TimeSpan.FromSeconds(1) }, new ReconcilerHealth());

    private async Task<JsonElement> CaseAsync(string caseId) => (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}")).Body;

    private static JsonElement? NotReported(JsonElement c) =>
        c.GetProperty("escalations").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "not-reported").Select(e => (JsonElement?)e).FirstOrDefault();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
