using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// Issue 23's move between task hubs, as an operator runs it: cases in every state are made on a self-host on hub A; that process is
/// killed (the hosts are switched); a self-host on hub B takes commands — one for a case not moved yet, one while the move runs —;
/// <c>move --dry-run</c> counts, <c>move --retire A</c> starts every open case in B from our tables and deletes A. Every open case then
/// runs in B, every command is applied, and the move run again starts nothing (it resumes).
/// </summary>
public sealed class CaseMoveTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    private static readonly string Production = $"--Handoff:Durable:PartitionCount={new Handoff.Api.Hosting.DurableSettings().PartitionCount}";

    [Fact]
    public async Task MovingEveryOpenCase_ToAnotherHub_LosesNoCaseAndNoCommand_AndResumes()
    {
        var hubA = "ta" + Guid.NewGuid().ToString("N")[..10];
        var hubB = "tb" + Guid.NewGuid().ToString("N")[..10];
        var cases = new Dictionary<string, string>();
        using (var a = await SelfHostProcess.StartAsync(_azurite.ConnectionString, hubA))
        {
            cases["registered"] = await RegisterAsync(a, 10);
            cases["acknowledged"] = await RegisterAsync(a, 10, "acknowledgement");
            cases["released"] = await RegisterAsync(a, 10, "acknowledgement", "release");
            cases["agreement"] = await RegisterAsync(a, 10, "acknowledgement", "release", "report", "agreement");
            cases["ordered"] = await OrderAsync(a);
            cases["decided"] = await DecideAsync(a);
            cases["cancelled"] = await RegisterAsync(a, 10, "cancellation");
            a.Kill(); // the old hosts stop: from here on only hub B's hosts run
        }

        // Hub B's host without its background loops: its reconciler's first full pass would restore the open cases by itself (the
        // safety net of a switch); here the move command must do it, as it does at once after a switch in Azure.
        // Hub B has the production partition count (16), hub A the tests' 1: what a move for a new count does.
        using var b = await SelfHostProcess.StartAsync(_azurite.ConnectionString, hubB, "--Handoff:Workers:Enabled=false", Production);

        // A command for a case not moved yet: written to its inbox, and its case started in B by the command path.
        var early = await b.PostAsync("meizhou-centre", $"/api/cases/{cases["acknowledged"]}/release", new { collectedBy = new { kind = "family", name = "张父" } });
        Assert.True(early.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, early.Body.ToString());

        var dry = await SelfHostProcess.RunAsync(["move", "--dry-run", .. SelfHostProcess.Settings(_azurite.ConnectionString, hubB, Production)], TimeSpan.FromMinutes(2));
        Assert.True(dry.ExitCode == 0, dry.Output);
        Assert.Contains("6 open cases: 1 running in the target hub, 5 to start", dry.Output, StringComparison.Ordinal); // all but the cancelled

        // The move, and a command arriving while it runs.
        var moving = SelfHostProcess.RunAsync(["move", "--retire", hubA, .. SelfHostProcess.Settings(_azurite.ConnectionString, hubB, Production)], TimeSpan.FromMinutes(3));
        var during = await b.PostAsync("pingyuan-dazhe-office", $"/api/cases/{cases["released"]}/report");
        var moved = await moving;
        Assert.True(moved.ExitCode == 0, moved.Output);
        Assert.Contains("Every open case runs in " + hubB, moved.Output, StringComparison.Ordinal);
        Assert.Contains($"Task hub {hubA} deleted.", moved.Output, StringComparison.Ordinal);
        Assert.True(during.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, during.Body.ToString());

        // Every command applied, every open case running in B, hub A gone.
        await ApiFixture.EventuallyAsync(() => StateAsync(b, cases["acknowledged"]), s => s == "released", TimeSpan.FromSeconds(60), "the early release applied in hub B");
        await ApiFixture.EventuallyAsync(() => StateAsync(b, cases["released"]), s => s == "reported", TimeSpan.FromSeconds(60), "the report sent during the move applied");
        var running = await RunningAsync(hubB);
        foreach (var (state, caseId) in cases.Where(c => c.Key != "cancelled"))
        {
            Assert.True(running.Contains(caseId), $"the {state} case {caseId} does not run in {hubB}");
        }

        Assert.DoesNotContain(cases["cancelled"], running);
        Assert.False(await TableExistsAsync(hubA + "Instances"), $"hub {hubA} still has its Instances table");
        Assert.False((await new Azure.Storage.Queues.QueueClient(_azurite.ConnectionString, hubA.ToLowerInvariant() + "-control-00").ExistsAsync()).Value,
            $"hub {hubA} still has its control queue");
        // A moved case takes its next step in hub B (answered at once, or 202 when the orchestration is slower than the command's wait).
        var step = await b.PostAsync("pingyuan-dazhe-office", $"/api/cases/{cases["registered"]}/acknowledgement");
        Assert.True(step.Status is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{(int)step.Status} {step.Body}");
        await ApiFixture.EventuallyAsync(() => StateAsync(b, cases["registered"]), s => s == "acknowledged", TimeSpan.FromSeconds(60), "the moved case's acknowledgement applied");

        var again = await SelfHostProcess.RunAsync(["move", .. SelfHostProcess.Settings(_azurite.ConnectionString, hubB, Production)], TimeSpan.FromMinutes(2));
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("6 open cases: 6 running in the target hub already, 0 started, 0 failed", again.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The engine routes messages by the partition count it is given and only warns (or, with table leases, says nothing) when a hub was
    /// created with another, leaving the timers already set in the old queues: a host set to a new count on an old hub must not start.
    /// </summary>
    [Fact]
    public async Task AHubCreatedWithOnePartitionCount_IsRefusedToAHostSetToAnother_WithTheWayOut()
    {
        var hub = "tc" + Guid.NewGuid().ToString("N")[..10];
        using (var first = await SelfHostProcess.StartAsync(_azurite.ConnectionString, hub))
        {
            await RegisterAsync(first, 10); // a case whose release timer waits in the 1-partition hub's control queue
            first.Kill();
        }

        var refused = await SelfHostProcess.RunAsync(["--urls=http://127.0.0.1:0", .. SelfHostProcess.Settings(_azurite.ConnectionString, hub, Production)], TimeSpan.FromSeconds(90));

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"Task hub {hub} was created with 1 control-queue partition, and this host is set to 16", refused.Output, StringComparison.Ordinal);
        Assert.Contains("Moving the open cases to another task hub", refused.Output, StringComparison.Ordinal);
        Assert.False((await new Azure.Storage.Queues.QueueClient(_azurite.ConnectionString, hub.ToLowerInvariant() + "-control-15").ExistsAsync()).Value,
            "the refused host created the new count's queues");
    }

    private static async Task<string> RegisterAsync(SelfHostProcess host, int daysAhead, params string[] steps)
    {
        var today = Core.Time.ChinaTime.LocalDate(TimeProvider.System.GetUtcNow());
        var (status, body) = await host.PostAsync("meizhou-centre", "/api/releases", new
        {
            person = new { name = "迁某", idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426", residenceRegion = "441426" },
            releaseDate = today.AddDays(daysAhead).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            releaseType = "expiry",
            rehabilitationYears = 3,
            receivingOfficeId = "pingyuan-dazhe-office",
            policeStationId = "pingyuan-dazhe-police",
            decisionAuthorityId = "meizhou-psb",
        });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        var caseId = body.GetProperty("caseId").GetString()!;
        foreach (var step in steps)
        {
            var (org, stepBody) = step switch
            {
                "release" => ("meizhou-centre", (object?)new { collectedBy = new { kind = "family", name = "迁父" } }),
                "cancellation" => ("meizhou-centre", new { reason = "决定撤销" }),
                _ => ("pingyuan-dazhe-office", null),
            };
            var (stepStatus, answer) = await host.PostAsync(org, $"/api/cases/{caseId}/{step}", stepBody);
            Assert.True(stepStatus == HttpStatusCode.OK, $"{step}: {(int)stepStatus} {answer}");
        }

        return caseId;
    }

    private static Task<string> OrderAsync(SelfHostProcess host) => OpenFileAsync(host, "/api/community-orders", new
    {
        person = new { name = "迁某", idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426" },
        orderNumber = "梅公（禁）社戒字〔2026〕9号",
        decidedOn = Today(),
        servedAt = TimeProvider.System.GetUtcNow(),
        officeId = "pingyuan-dazhe-office",
        policeStationId = "pingyuan-dazhe-police",
    });

    private static Task<string> DecideAsync(SelfHostProcess host) => OpenFileAsync(host, "/api/decisions", new
    {
        person = new { name = "迁某", idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426" },
        decisionNumber = "梅公（禁）决字〔2026〕9号",
        decidedOn = Today(),
        servedAt = TimeProvider.System.GetUtcNow(),
        centreId = "meizhou-centre",
    });

    /// <summary>Opens a file as 梅州市公安局 (a 社区戒毒 order or a 强制隔离戒毒 decision): its case id.</summary>
    private static async Task<string> OpenFileAsync(SelfHostProcess host, string path, object body)
    {
        var (status, answer) = await host.PostAsync("meizhou-psb", path, body);
        Assert.True(status == HttpStatusCode.Created, answer.ToString());
        return answer.GetProperty("caseId").GetString()!;
    }

    private static string Today() =>
        Core.Time.ChinaTime.LocalDate(TimeProvider.System.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> StateAsync(SelfHostProcess host, string caseId) =>
        (await host.GetAsync("meizhou-centre", $"/api/cases/{caseId}")).Body.GetProperty("state").GetString()!;

    /// <summary>The instances the engine lists as running in <paramref name="hub"/> (its Instances table, as the engine keeps it).</summary>
    private async Task<HashSet<string>> RunningAsync(string hub)
    {
        var table = new TableClient(_azurite.ConnectionString, hub + "Instances");
        var running = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RuntimeStatus eq {"Running"} or RuntimeStatus eq {"Pending"}")))
        {
            running.Add(row.PartitionKey);
        }

        return running;
    }

    private async Task<bool> TableExistsAsync(string name)
    {
        var service = new TableServiceClient(_azurite.ConnectionString);
        await foreach (var table in service.QueryAsync(t => t.Name == name))
        {
            return true;
        }

        return false;
    }
}
