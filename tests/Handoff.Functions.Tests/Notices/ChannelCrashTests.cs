using System.Net;
using Azure.Data.Tables;
using Handoff.Development;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Notices;

/// <summary>
/// Issue 22's crash: a self-host process (<c>dotnet Handoff.SelfHost.dll</c>) sends a late notice's escalation to 梅州市强制隔离戒毒所's
/// 企业微信 robot, the robot takes the message but holds its answer, and the process is killed (SIGKILL) before it can record
/// anything. A second process on the same storage finds the claim the first left in the Channels table and must not send the notice
/// again: the group has it once, and it is marked uncertain for the operators. The channel then goes on.
/// </summary>
public sealed class ChannelCrashTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private FakeRobotServer _robots = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _robots = await FakeRobotServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _robots.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task AProcessKilledBetweenSendingAndRecording_TheNextDoesNotSendAgain_AndMarksItUncertain()
    {
        var url = _robots.AddWeComRobot("centre-key");
        var hub = "t" + Guid.NewGuid().ToString("N")[..12];
        _robots.Hold("centre-key");

        using (var first = await StartAsync(_azurite.ConnectionString, hub, url))
        {
            await RegisterLateAsync(first, "孙某");
            await _robots.WaitForAsync(d => d.Robot == "centre-key" && d.Body.Contains("孙某", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            first.Kill(); // the robot has the message; the answer is still held: nothing was recorded as sent
        }

        _robots.Release("centre-key");
        var table = new TableClient(_azurite.ConnectionString, "Channels");
        Assert.Equal(["pending"], await StatusesAsync(table)); // what the killed process left: its claim, and the notice not settled

        using var second = await StartAsync(_azurite.ConnectionString, hub, url);
        var statuses = await ApiFixture.EventuallyAsync(() => StatusesAsync(table), s => s.SequenceEqual(["uncertain"]), TimeSpan.FromSeconds(150),
            "the second process to settle the dead claim as uncertain");

        Assert.Single(_robots.Received, d => d.Body.Contains("孙某", StringComparison.Ordinal));
        await RegisterLateAsync(second, "周某");
        await _robots.WaitForAsync(d => d.Robot == "centre-key" && d.Body.Contains("周某", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Single(_robots.Received, d => d.Body.Contains("孙某", StringComparison.Ordinal));
        Assert.Empty(_robots.Rejected);
    }

    private static async Task<List<string>> StatusesAsync(TableClient table)
    {
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"wecom-meizhou-centre"} and RowKey ge {"n-"} and RowKey lt {"n."}")))
        {
            rows.Add(row.GetString("Status"));
        }

        return rows;
    }

    private static Task<SelfHostProcess> StartAsync(string connectionString, string hub, Uri robot) =>
        SelfHostProcess.StartAsync(connectionString, hub, $"--Handoff:Channels:meizhou-centre:WeCom:Url={robot}",
            "--Handoff:Delivery:ClaimTimeout=00:00:20", "--Handoff:Delivery:GatherDelay=00:00:00");

    /// <summary>A release registered for tomorrow: less than 3 days' notice (戒毒条例 34), an escalation to the centre at once.</summary>
    private static async Task RegisterLateAsync(SelfHostProcess host, string name)
    {
        var tomorrow = Core.Time.ChinaTime.LocalDate(TimeProvider.System.GetUtcNow()).AddDays(1);
        var (status, body) = await host.PostAsync("meizhou-centre", "/api/releases", new
        {
            person = new { name, idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426", residenceRegion = "441426" },
            releaseDate = tomorrow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            releaseType = "expiry",
            rehabilitationYears = 3,
            receivingOfficeId = "pingyuan-dazhe-office",
            policeStationId = "pingyuan-dazhe-police",
            decisionAuthorityId = "meizhou-psb",
        });
        Assert.True(status is HttpStatusCode.Created or HttpStatusCode.Accepted, body.ToString());
    }
}
