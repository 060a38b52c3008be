using System.Net;
using System.Text.Json;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Api;

/// <summary>The handoff end to end through the HTTP API, the workers' passes and the clock.</summary>
[Collection(ApiCollection.Name)]
public class HandoffFlowTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task RegisterRelease_ReturnsCaseWithDeadlinesHistoryAndMaskedId()
    {
        var id = TestData.UniqueIdNumber();
        var created = await Api.Client("meizhou-centre").PostAsync("/api/releases", System.Net.Http.Json.JsonContent.Create(ReleaseBody(id)));
        var c = await ReadAsync(created);
        var calendar = TestData.Calendar;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/cases/{c.GetProperty("caseId").GetString()}", created.Headers.Location!.ToString());
        Assert.Equal("scheduled", c.GetProperty("state").GetString());
        Assert.Equal(id[..4] + "**********" + id[^4..], c.GetProperty("person").GetProperty("maskedIdNumber").GetString());
        Assert.DoesNotContain(id, c.GetRawText());
        Assert.Equal(Date(Today.AddDays(7)), Deadline(c, "notice", "lastDay"));
        Assert.Equal("met", Deadline(c, "notice", "status"));
        var report = calendar.AddDays(Today.AddDays(10), 15);
        Assert.Equal(Date(report.LastDay), Deadline(c, "report", "lastDay"));
        Assert.Equal(report.DueAt, DateTimeOffset.Parse(Deadline(c, "report", "dueAt"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(report.CalendarConfirmed.ToString(), Deadline(c, "report", "calendarConfirmed"));
        Assert.Equal("True", Deadline(c, "report", "provisional"));
        var first = c.GetProperty("history")[0];
        Assert.Equal("ReleaseRegistered", first.GetProperty("type").GetString());
        Assert.Equal("meizhou-centre", first.GetProperty("by").GetString());
        Assert.Equal("api-key", first.GetProperty("credential").GetString());
        Assert.False(first.GetProperty("details").GetProperty("person").TryGetProperty("protectedIdNumber", out _));
    }

    [Fact]
    public async Task MissedReport_EscalatesClimbsAndResolves_ThroughTheApi()
    {
        var c = await RegisterAsync(daysAhead: 0);
        var caseId = c.GetProperty("caseId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement")).Status);
        var released = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release",
            new { releasedAt = Api.Time.GetUtcNow(), collectedBy = new { kind = "none" } });
        Assert.Equal("released", released.Body.GetProperty("state").GetString());
        var kinds = released.Body.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["late-notice", "not-collected"], kinds); // registered on release day: late notice as well
        await Api.DrainAsync();

        var inbox = await GetAsync("pingyuan-dazhe-police", "/api/notices");
        var notice = inbox.Body.EnumerateArray().First(n => n.GetProperty("caseId").GetString() == caseId && n.GetProperty("kind").GetString() == "escalation");
        Assert.Contains("出所无人接回", notice.GetProperty("title").GetString());
        Assert.Contains("**********", notice.GetProperty("body").GetString());

        // Past the report deadline (15 days, rolled past any holiday): lost contact, then a climb a day.
        Api.Time.Advance(TimeSpan.FromDays(26));
        await Api.FireTimerAsync(caseId);
        var lost = await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}");
        Assert.Equal("lostContact", lost.Body.GetProperty("state").GetString());
        Assert.Equal("missed", Deadline(lost.Body, "report", "status"));

        var overdue = await GetAsync("pingyuan-nco", "/api/cases?overdue=true");
        Assert.Contains(overdue.Body.EnumerateArray(), s => s.GetProperty("caseId").GetString() == caseId);
        var escalations = await GetAsync("guangdong-nco", "/api/escalations?status=open");
        var notReported = escalations.Body.EnumerateArray().Single(e =>
            e.GetProperty("caseId").GetString() == caseId && e.GetProperty("escalation").GetProperty("kind").GetString() == "not-reported");
        Assert.True(notReported.GetProperty("escalation").GetProperty("level").GetInt32() >= 2);

        var escalationId = notReported.GetProperty("escalation").GetProperty("id").GetString();
        var read = await PostAsync("pingyuan-dazhe-police", $"/api/escalations/{escalationId}/acknowledgement");
        Assert.Equal(HttpStatusCode.OK, read.Status);

        var report = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/report", new { reportedAt = Api.Time.GetUtcNow() });
        Assert.Equal("reported", report.Body.GetProperty("state").GetString());
        Assert.All(report.Body.GetProperty("escalations").EnumerateArray(), e => Assert.Equal("resolved", e.GetProperty("status").GetString()));
        Assert.Equal("missed", Deadline(report.Body, "report", "status"));
        var signed = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/agreement", new { signedAt = Api.Time.GetUtcNow() });
        Assert.Equal("agreementSigned", signed.Body.GetProperty("state").GetString());
        await Api.DrainAsync();

        var resolved = await GetAsync("pingyuan-nco", "/api/notices");
        Assert.Contains(resolved.Body.EnumerateArray(), n => n.GetProperty("caseId").GetString() == caseId && n.GetProperty("kind").GetString() == "escalation-resolved");
    }

    [Fact]
    public async Task RegisterRelease_SameIdempotencyKey_ReturnsTheSameCase()
    {
        var body = ReleaseBody(TestData.UniqueIdNumber());
        var first = await PostAsync("meizhou-centre", "/api/releases", body, "release-2026-0001");
        var second = await PostAsync("meizhou-centre", "/api/releases", body, "release-2026-0001");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        Assert.Equal(first.Body.GetProperty("caseId").GetString(), second.Body.GetProperty("caseId").GetString());
        Assert.Equal(first.Body.GetProperty("history").GetArrayLength(), second.Body.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task RegisterRelease_PersonWithOpenCase_Is409NamingIt()
    {
        var id = TestData.UniqueIdNumber();
        var first = await RegisterAsync(id);

        var second = await PostAsync("meizhou-centre", "/api/releases", ReleaseBody(id, daysAhead: 20));

        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal("open-case-exists", second.Body.GetProperty("code").GetString());
        Assert.Contains(first.GetProperty("caseId").GetString()!, second.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Postponement_KeepsStateMovesDeadlines_AndCancellationCloses()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;

        var newDate = Date(Today.AddDays(100));
        var postponed = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/postponement", new { newReleaseDate = newDate, reason = "延长戒毒期限" });
        Assert.Equal("scheduled", postponed.Body.GetProperty("state").GetString());
        Assert.Equal(newDate, Deadline(postponed.Body, "release", "lastDay"));
        var cancelled = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/cancellation", new { reason = "撤销" });
        Assert.Equal("cancelled", cancelled.Body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task RecordedSteps_WithoutInstant_HappenedWhenRecorded()
    {
        var caseId = (await RegisterAsync()).GetProperty("caseId").GetString()!;

        var released = await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "police", name = "李警官" } });
        var reported = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/report");

        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal(Api.Time.GetUtcNow(), released.Body.GetProperty("releasedAt").GetDateTimeOffset());
        Assert.Equal(Api.Time.GetUtcNow(), reported.Body.GetProperty("reportedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Health_And_OpenApi_AreServedWithoutKey()
    {
        var health = await GetAsync(null, "/healthz");
        var openApi = await GetAsync(null, "/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Contains(health.Body.GetProperty("status").GetString(), new[] { "healthy", "degraded" });
        Assert.Equal(HttpStatusCode.OK, openApi.Status);
        Assert.True(openApi.Body.GetProperty("paths").TryGetProperty("/api/releases", out _));
    }
}
