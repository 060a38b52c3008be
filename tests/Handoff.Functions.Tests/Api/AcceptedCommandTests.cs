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

        // A well-formed id the API never issued: every accepted command is written before it is raised, so this one never was.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/commands/{commandId}")).Status);
    }

    [Fact]
    public async Task GeneratedClient_ReadsA202AsATypedPendingCommandWithItsLocation_AndTheCommandUrlAsTheCase()
    {
        var centre = new Handoff.Functions.Tests.Client.HandoffClient(Api.Client("meizhou-centre"));
        var office = new Handoff.Functions.Tests.Client.HandoffClient(Api.Client("pingyuan-dazhe-office"));
        var registration = new Handoff.Functions.Tests.Client.RegisterReleaseRequest
        {
            Person = new Handoff.Functions.Tests.Client.PersonRequest { Name = "张某某", IdNumber = TestData.UniqueIdNumber(), RegisteredRegion = "441426" },
            ReleaseDate = new DateTimeOffset(Today.AddDays(20).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            ReleaseType = Handoff.Functions.Tests.Client.ReleaseType.Expiry,
            RehabilitationYears = 3,
            ReceivingOfficeId = "pingyuan-dazhe-office",
            PoliceStationId = "pingyuan-dazhe-police",
            DecisionAuthorityId = "meizhou-psb",
        };

        // With no wait, a registration answers 202 (or 201 if its orchestration was quicker than the first read): both are typed.
        string caseId;
        try
        {
            caseId = (await centre.RegisterReleaseAsync(registration)).CaseId;
        }
        catch (Handoff.Functions.Tests.Client.ApiException<Handoff.Functions.Tests.Client.PendingCommand> accepted) when (accepted.StatusCode == 202)
        {
            var commandId = accepted.Result.CommandId;
            Assert.Equal($"/api/cases/{accepted.Result.CaseId}/commands/{commandId}", accepted.Headers["Location"].Single());
            caseId = (await ApiFixture.EventuallyAsync(() => OutcomeAsync(centre, accepted.Result.CaseId, commandId), c => c is not null, Patience, "the registration applied"))!.CaseId;
        }

        await Api.Engine.SuspendInstanceAsync(caseId, "test: hold the orchestration");
        await ApiFixture.EventuallyAsync(() => Api.Engine.GetInstanceAsync(caseId), i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Suspended, Patience, "suspended");

        var pending = await Assert.ThrowsAsync<Handoff.Functions.Tests.Client.ApiException<Handoff.Functions.Tests.Client.PendingCommand>>(() => office.AcknowledgeNoticeAsync(caseId, "client-ack"));
        Assert.Equal(202, pending.StatusCode);
        Assert.Equal(Handoff.Functions.Tests.Client.PendingCommandStatus.Pending, pending.Result.Status);
        Assert.Equal($"/api/cases/{caseId}/commands/{pending.Result.CommandId}", pending.Headers["Location"].Single());
        Assert.Null(await OutcomeAsync(office, caseId, pending.Result.CommandId));

        await Api.Engine.ResumeInstanceAsync(caseId, "test: let it go on");
        var applied = await ApiFixture.EventuallyAsync(() => OutcomeAsync(office, caseId, pending.Result.CommandId), c => c is not null, Patience, "the command applied");
        Assert.Equal(Handoff.Functions.Tests.Client.CaseState.Acknowledged, applied!.State);
    }

    /// <summary>The command's outcome through the generated client: the case, or null while it answers 202.</summary>
    private static async Task<Handoff.Functions.Tests.Client.CaseView?> OutcomeAsync(Handoff.Functions.Tests.Client.HandoffClient client, string caseId, string commandId)
    {
        try
        {
            return await client.GetCommandAsync(caseId, commandId);
        }
        catch (Handoff.Functions.Tests.Client.ApiException<Handoff.Functions.Tests.Client.PendingCommand> pending) when (pending.StatusCode == 202)
        {
            return null;
        }
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
