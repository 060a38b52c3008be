using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
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

        using (var first = await SelfHost.StartAsync(_azurite.ConnectionString, hub, url))
        {
            await first.RegisterLateAsync("孙某");
            await _robots.WaitForAsync(d => d.Robot == "centre-key" && d.Body.Contains("孙某", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            first.Kill(); // the robot has the message; the answer is still held: nothing was recorded as sent
        }

        _robots.Release("centre-key");
        var table = new TableClient(_azurite.ConnectionString, "Channels");
        Assert.Equal(["pending"], await StatusesAsync(table)); // what the killed process left: its claim, and the notice not settled

        using var second = await SelfHost.StartAsync(_azurite.ConnectionString, hub, url);
        var statuses = await ApiFixture.EventuallyAsync(() => StatusesAsync(table), s => s.SequenceEqual(["uncertain"]), TimeSpan.FromSeconds(150),
            "the second process to settle the dead claim as uncertain");

        Assert.Single(_robots.Received, d => d.Body.Contains("孙某", StringComparison.Ordinal));
        await second.RegisterLateAsync("周某");
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

    /// <summary>One self-host process with the centre's robot as its channel, on a free port; SIGKILLed, never stopped.</summary>
    private sealed class SelfHost : IDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _http;

        private SelfHost(Process process, Uri address)
        {
            _process = process;
            _http = new HttpClient { BaseAddress = address };
            _http.DefaultRequestHeaders.Add("X-Api-Key", "dev-meizhou-centre");
        }

        public static async Task<SelfHost> StartAsync(string connectionString, string hub, Uri robot)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var dll = Path.Combine(AppContext.BaseDirectory, "Handoff.SelfHost.dll");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            foreach (var setting in new[]
                     {
                         $"--urls=http://127.0.0.1:{port}", $"--Handoff:Storage:ConnectionString={connectionString}", $"--HandoffTaskHub={hub}",
                         "--Handoff:SampleData=false", $"--Handoff:Secrets:IdNumberKey={Convert.ToBase64String(new byte[32])}",
                         "--Handoff:Durable:MaxQueuePollingInterval=00:00:01", $"--Handoff:Channels:meizhou-centre:WeCom:Url={robot}",
                         "--Handoff:Delivery:ClaimTimeout=00:00:20", "--Handoff:Delivery:GatherDelay=00:00:00",
                     })
            {
                start.ArgumentList.Add(setting);
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var host = new SelfHost(process, new Uri($"http://127.0.0.1:{port}"));
            await ApiFixture.EventuallyAsync(host.HealthyAsync, ok => ok, TimeSpan.FromSeconds(60), "the self-host to answer /healthz");
            return host;
        }

        /// <summary>A release registered for tomorrow: less than 3 days' notice (戒毒条例 34), an escalation to the centre at once.</summary>
        public async Task RegisterLateAsync(string name)
        {
            var tomorrow = Core.Time.ChinaTime.LocalDate(TimeProvider.System.GetUtcNow()).AddDays(1);
            using var response = await _http.PostAsJsonAsync("/api/releases", new
            {
                person = new { name, idNumber = TestData.UniqueIdNumber(), registeredRegion = "441426", residenceRegion = "441426" },
                releaseDate = tomorrow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                releaseType = "expiry",
                rehabilitationYears = 3,
                receivingOfficeId = "pingyuan-dazhe-office",
                policeStationId = "pingyuan-dazhe-police",
                decisionAuthorityId = "meizhou-psb",
            });
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
            _http.Dispose();
        }

        private async Task<bool> HealthyAsync()
        {
            try
            {
                return (await _http.GetAsync(new Uri("/healthz", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }
    }
}
