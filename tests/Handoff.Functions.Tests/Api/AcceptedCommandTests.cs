using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Testing;
using Microsoft.DurableTask.Client;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// The 202 path of the contract: a command its orchestration has not applied within <c>Handoff:Api:CommandWait</c> answers
/// <c>202 Accepted</c> with the command's URL, which answers 202 while pending and the case once applied. Here the wait is zero.
/// </summary>
public class AcceptedCommandTests(ImpatientApiFixture api) : ApiTestBase(api), IClassFixture<ImpatientApiFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Command_NotYetApplied_Answers202WithItsUrl_ThenTheCaseOnceApplied()
    {
        var caseId = await RegisteredCaseAsync();
        await Api.Engine.SuspendInstanceAsync(caseId, "test: hold the orchestration");
        await ApiFixture.EventuallyAsync(() => Api.Engine.GetInstanceAsync(caseId), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Suspended, Patience, "suspended");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/acknowledgement") { Content = JsonContent.Create(new { }) };
        request.Headers.Add("Idempotency-Key", "ack-1");
        var response = await Api.Client("pingyuan-dazhe-office").SendAsync(request);
        var body = await ReadAsync(response);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location?.ToString();
        Assert.NotNull(location);
        Assert.StartsWith($"/api/cases/{caseId}/commands/", location, StringComparison.Ordinal);
        Assert.Equal("pending", body.GetProperty("status").GetString());

        var pending = await GetAsync("pingyuan-dazhe-office", location);
        Assert.Equal(HttpStatusCode.Accepted, pending.Status);
        Assert.Equal("scheduled", (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}")).Body.GetProperty("state").GetString());

        await Api.Engine.ResumeInstanceAsync(caseId, "test: let it go on");
        var applied = await ApiFixture.EventuallyAsync(() => GetAsync("pingyuan-dazhe-office", location), r => r.Status == HttpStatusCode.OK, Patience, "the command applied");
        Assert.Equal("acknowledged", applied.Body.GetProperty("state").GetString());

        // The repeat with the same key finds the applied step and answers the case at once.
        using var again = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/acknowledgement") { Content = JsonContent.Create(new { }) };
        again.Headers.Add("Idempotency-Key", "ack-1");
        var repeat = await Api.Client("pingyuan-dazhe-office").SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var history = (await ReadAsync(repeat)).GetProperty("history").EnumerateArray().Count(h => h.GetProperty("type").GetString() == "NoticeAcknowledged");
        Assert.Equal(1, history);
    }

    [Fact]
    public async Task CommandUrl_OfACaseTheCallerMayNotRead_IsNotFound_AndMalformedIdsAreNotFound()
    {
        var caseId = await RegisteredCaseAsync();
        var commandId = new string('a', 32);

        var stranger = await GetAsync("nanming-office", $"/api/cases/{caseId}/commands/{commandId}");
        var malformed = await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/commands/abc123");

        Assert.Equal(HttpStatusCode.NotFound, stranger.Status);
        Assert.Equal(HttpStatusCode.NotFound, malformed.Status);

        // A well-formed id the API never issued cannot be told from one still in flight (nothing is written before the step is
        // raised): it stays pending. Documented in README.
        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/commands/{commandId}")).Status);
    }

    /// <summary>A registration answered 202 (the wait is zero) and followed until its case exists.</summary>
    private async Task<string> RegisteredCaseAsync()
    {
        var response = await Api.Client("meizhou-centre").PostAsJsonAsync("/api/releases", ReleaseBody(TestData.UniqueIdNumber(), daysAhead: 20));
        var body = await ReadAsync(response);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return body.GetProperty("caseId").GetString()!;
        }

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());
        var location = response.Headers.Location!.ToString();
        var created = await ApiFixture.EventuallyAsync(() => GetAsync("meizhou-centre", location), r => r.Status == HttpStatusCode.OK, Patience, "the registration applied");
        return created.Body.GetProperty("caseId").GetString()!;
    }
}
