using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Handoff.Functions.Tests;

/// <summary>
/// The self-host as a process of its own (<c>dotnet Handoff.SelfHost.dll</c> from the test's output), on a free port and the given
/// storage and task hub: what crash tests SIGKILL and what the operator's commands run as. Killed, never asked to stop.
/// </summary>
public sealed class SelfHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private SelfHostProcess(Process process, Uri address)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = address };
    }

    /// <summary>
    /// The settings every process of a test shares: its storage and hub, no sample data, a fixed key, 1 s polling, one partition (as the
    /// in-process fixtures; a later <c>--Handoff:Durable:PartitionCount</c> in <c>more</c> wins), a long command wait.
    /// </summary>
    public static List<string> Settings(string connectionString, string hub, params string[] more) =>
    [
        $"--Handoff:Storage:ConnectionString={connectionString}", $"--HandoffTaskHub={hub}", "--Handoff:SampleData=false",
        $"--Handoff:Secrets:IdNumberKey={Convert.ToBase64String(new byte[32])}", "--Handoff:Durable:MaxQueuePollingInterval=00:00:01",
        "--Handoff:Durable:PartitionCount=1",

        // Answers are synchronous in tests, as in the in-process fixtures: the 2 s default runs out on a loaded CI machine.
        "--Handoff:Api:CommandWait=00:00:30", .. more,
    ];

    public static async Task<SelfHostProcess> StartAsync(string connectionString, string hub, params string[] more)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var process = Start([$"--urls=http://127.0.0.1:{port}", .. Settings(connectionString, hub, more)], null);
        var host = new SelfHostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        await ApiFixture.EventuallyAsync(host.HealthyAsync, ok => ok, TimeSpan.FromSeconds(60), "the self-host to answer /healthz");
        return host;
    }

    /// <summary>Runs the self-host with <paramref name="arguments"/> (a command such as <c>move</c>) to its end: its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var process = Start(arguments, output);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The self-host did not finish {string.Join(' ', arguments.Take(2))} within {timeout}: {output}");
        }

        process.WaitForExit(); // the output's last lines
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string organisation, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", $"dev-{organisation}");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string organisation, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", $"dev-{organisation}");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
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

    private static Process Start(IReadOnlyList<string> arguments, StringBuilder? output)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Handoff.SelfHost.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only the settings given: the in-process fixtures beside this test pass theirs as environment variables while they start (a
        // fast development clock among them), which a child process would inherit.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Handoff", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase)
                     || k.Equals("urls", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder? output, string? line)
    {
        if (output is not null && line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
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
