using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure.Data.Tables;
using Handoff.Api.Hosting;
using Handoff.Core.Organisations;
using Handoff.Development;

namespace Handoff.Soak;

/// <summary>
/// One soak run: Azurite on disk, the self-host built once and started as several processes on one task hub, the cases driven
/// through the API while processes are killed (and Azurite once), then convergence measured and the counts printed.
/// </summary>
public static class SoakRun
{
    /// <summary>The workflow clock's start: a Monday in March 2026, weeks from any public holiday.</summary>
    private const string ClockStart = "2026-03-02T08:00:00+08:00";

    private static readonly Stopwatch Elapsed = Stopwatch.StartNew();

    public static async Task<int> RunAsync(SoakOptions o)
    {
        using var abort = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            abort.Cancel();
        };

        var root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory) ?? AzuriteLauncher.FindRepositoryRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("Run the soak from the repository (package.json beside Handoff.sln).");
        var work = Directory.CreateTempSubdirectory("handoff-soak-").FullName;
        Log($"work folder {work} (Azurite data and the self-hosts' logs)");
        var dll = Path.Combine(root, "functions", "Handoff.SelfHost", "bin", "Release", "net10.0", "Handoff.SelfHost.dll");
        if (o.Build && !await BuildAsync(root, abort.Token))
        {
            return 2;
        }

        var directory = DirectoryLoader.Load(Path.Combine(root, "functions", "Handoff.Api", "directory.sample.json"));
        await using var azurite = new AzuriteHost(root, Path.Combine(work, "azurite"), line => Log(line));
        await azurite.StartAsync(abort.Token);
        Log($"Azurite pid {azurite.ProcessId}: {azurite.ConnectionString.Split(';').First(p => p.StartsWith("TableEndpoint", StringComparison.Ordinal))}");

        var hub = "soak" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var processes = FreePorts(o.Processes).Select((port, i) => new SelfHostProcess(
            i + 1, port, dll, Settings(o, azurite.ConnectionString, hub, port), Path.Combine(work, $"selfhost-{i + 1}.log"))).ToList();
        using var cluster = new Cluster(processes, line => Log(line));
        using var stopSupervising = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
        try
        {
            cluster.StartAll();
            var supervising = cluster.SuperviseAsync(stopSupervising.Token);
            var load = new LoadSampler();
            var sampling = load.RunAsync(stopSupervising.Token);
            var random = new Random(o.Seed);
            var clock = await WaitHealthyAsync(cluster, abort.Token);
            Log($"{o.Processes} self-hosts up on task hub {hub}; workflow clock at {clock.Now.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}, " +
                $"a day every {o.Day.TotalSeconds:0.#} s");
            using var api = new HandoffClient(cluster, clock, new Random(o.Seed + 1));
            var scripts = Scripts(o, hub, random);
            var result = await DriveAsync(o, azurite, cluster, api, clock, directory, scripts, random, abort.Token);
            Log("waiting for convergence");
            var (counts, convergedAfter) = await ConvergeAsync(o, azurite, cluster, clock, directory, hub, scripts, abort.Token);
            stopSupervising.Cancel();
            await supervising;
            await sampling;
            Report.Print(o, scripts, result, counts, convergedAfter, cluster, azurite, api, load, work);
            return counts.Total == 0 && convergedAfter is not null ? 0 : 1;
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            Log("aborted");
            return 3;
        }
        finally
        {
            stopSupervising.Cancel();
            cluster.Dispose();
        }
    }

    public static void Log(string line) =>
        Console.WriteLine($"[{Elapsed.Elapsed:mm\\:ss}] {line}");

    /// <summary>Registrations spread over <see cref="SoakOptions.RegisterOver"/>, paths interleaved, offices and centres varied.</summary>
    private static List<CaseScript> Scripts(SoakOptions o, string run, Random random)
    {
        var paths = Enum.GetValues<CasePath>();
        var scripts = Enumerable.Range(0, o.Cases)
            .Select(i => new CaseScript(run, i, paths[i % paths.Length], Parties.All[(i + (i / paths.Length)) % Parties.All.Count],
                Parties.Centres[i / paths.Length % Parties.Centres.Count]))
            .ToList();
        return [.. scripts.OrderBy(_ => random.Next())];
    }

    /// <summary>Runs every script while the chaos kills processes; restarts Azurite once; returns when every case has settled.</summary>
    private static async Task<DriveResult> DriveAsync(
        SoakOptions o, AzuriteHost azurite, Cluster cluster, HandoffClient api, SoakClock clock, OrganisationDirectory directory,
        List<CaseScript> scripts, Random random, CancellationToken abort)
    {
        using var stopChaos = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var chaos = cluster.RunChaosAsync(o.KillEvery, random, stopChaos.Token);
        var started = Elapsed.Elapsed;
        var tasks = scripts.Select((s, i) => RunScriptAsync(s, o.RegisterOver * i / scripts.Count)).ToList();

        // Mid-run: about halfway through the slowest path (registration spread + 15 days to report + 3 climbs).
        var azuriteAt = (o.RegisterOver + (o.Day * 19)) / 2;
        TimeSpan? sinceSave = null;
        var azuriteTask = o.RestartAzurite ? RestartAzuriteAsync() : Task.CompletedTask;

        // Then the outage: after every registration was sent (a registration held up for days would pass its release date and be
        // refused, rightly) and after the quick restart, Azurite is killed and kept down while the self-hosts keep running.
        var outageAt = Max(o.RegisterOver + TimeSpan.FromSeconds(20), o.RestartAzurite ? azuriteAt + TimeSpan.FromSeconds(40) : TimeSpan.Zero);
        TimeSpan? outageSinceSave = null;
        TimeSpan? outageDown = null;
        var outageTask = o.AzuriteOutage > TimeSpan.Zero ? OutageAsync() : Task.CompletedTask;
        using (var progress = new PeriodicTimer(TimeSpan.FromSeconds(30)))
        {
            var all = Task.WhenAll(tasks);
            while (!all.IsCompleted)
            {
                await Task.WhenAny(all, progress.WaitForNextTickAsync(abort).AsTask());
                abort.ThrowIfCancellationRequested();
                Log($"{scripts.Count(s => s.Finished)}/{scripts.Count} scripts done; {cluster.Kills} kills, {azurite.Restarts} Azurite restarts; " +
                    $"{api.Requests} requests ({api.ConnectionFailures} unanswered, {api.ServerErrors} 5xx, {api.Accepted} 202)");
            }

            await all;
        }

        await azuriteTask;
        await outageTask;
        var settles = scripts.Max(s => s.SettlesAt!.Value);
        Log($"every script done; the last case settles at workflow {settles.ToOffset(TimeSpan.FromHours(8)):MM-dd HH:mm}");
        await clock.DelayUntilAsync(settles, o.Grace + TimeSpan.FromSeconds(5), abort);
        await stopChaos.CancelAsync();
        await chaos;
        return new DriveResult(Elapsed.Elapsed - started, sinceSave, outageDown, outageSinceSave);

        async Task RunScriptAsync(CaseScript script, TimeSpan after)
        {
            await Task.Delay(after, abort);
            var ladder = directory.SupervisorLadder(directory.Find(script.Parties.Office)!.Region, OrganisationKind.CommunityOffice).Count;
            await script.RunAsync(api, clock, o.Grace, ladder, abort);
        }

        async Task OutageAsync()
        {
            // After the quick restart (if any) is over: the two never overlap.
            await azuriteTask;
            await Task.Delay(outageAt - (Elapsed.Elapsed - started) is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero, abort);
            cluster.ChaosPaused = true;
            Log($"SIGKILL Azurite for an outage of {o.AzuriteOutage.TotalSeconds:0} s ({(o.BlindAzuriteKill ? "blind" : "just after it saved its data")}); "
                + "the self-hosts keep running, no self-host kills meanwhile");
            cluster.MarkKill();
            try
            {
                (outageSinceSave, var down) = await azurite.OutageAsync(o.BlindAzuriteKill, o.AzuriteOutage, abort);
                outageDown = down;
            }
            finally
            {
                cluster.ChaosPaused = false;
            }

            cluster.MarkKill();
            Log($"Azurite back after an outage of {outageDown?.TotalSeconds:0.0} s (pid {azurite.ProcessId}); killed " +
                (outageSinceSave is { } t ? $"{t.TotalMilliseconds:0} ms after it saved its data" : "blind"));
        }

        async Task RestartAzuriteAsync()
        {
            await Task.Delay(azuriteAt - (Elapsed.Elapsed - started) is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero, abort);
            Log($"SIGKILL Azurite ({(o.BlindAzuriteKill ? "blind" : "just after it saved its data")})");
            cluster.MarkKill();
            var down = Stopwatch.StartNew();
            sinceSave = await azurite.RestartAsync(o.BlindAzuriteKill, abort);
            Log($"Azurite back after {down.Elapsed.TotalSeconds:0.0} s (pid {azurite.ProcessId}); killed " +
                (sinceSave is { } t ? $"{t.TotalMilliseconds:0} ms after it saved its data" : "blind"));
        }
    }

    /// <summary>Checks every few seconds until every count is 0 (converged) or the settle timeout passes.</summary>
    private static async Task<(Counts Counts, TimeSpan? ConvergedAfter)> ConvergeAsync(
        SoakOptions o, AzuriteHost azurite, Cluster cluster, SoakClock clock, OrganisationDirectory directory, string hub,
        List<CaseScript> scripts, CancellationToken abort)
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var verifier = new Verifier(directory, clock, o.Grace, TimeSpan.FromDays(1));
        var watch = Stopwatch.StartNew();
        Counts? counts = null;
        while (true)
        {
            try
            {
                var snapshot = await StorageSnapshot.ReadAsync(tables, hub, abort);
                snapshot.HealthBlocked = await HealthBlockedAsync(cluster, abort);
                counts = verifier.Check(scripts, snapshot);
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or JsonException)
            {
                Log($"check failed ({ex.GetType().Name}: {ex.Message.Split('\n')[0]}); again");
            }

            var sinceKill = TimeProvider.System.GetUtcNow() - (cluster.LastKillAt ?? TimeProvider.System.GetUtcNow());
            if (counts is { Total: 0 })
            {
                return (counts, sinceKill);
            }

            if (watch.Elapsed > o.SettleTimeout)
            {
                return (counts ?? new Counts(), null);
            }

            Log($"{sinceKill.TotalSeconds:0} s after the last kill: {counts?.Summary}");
            await Task.Delay(TimeSpan.FromSeconds(5), abort);
        }
    }

    /// <summary>
    /// What <c>/healthz</c> (operator key) lists as blocked — <c>blocked.count</c> and <c>blocked.cases</c> — asked of each running process
    /// until one answers; null when none does.
    /// </summary>
    private static async Task<(int Count, IReadOnlyList<string> Cases)?> HealthBlockedAsync(Cluster cluster, CancellationToken abort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", "dev-operator");
        foreach (var p in cluster.Processes.Where(p => p.IsRunning && p.IsReady))
        {
            try
            {
                var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(p.BaseAddress, "/healthz"), abort)).RootElement;
                if (health.TryGetProperty("blocked", out var blocked))
                {
                    return (blocked.GetProperty("count").GetInt32(), [.. blocked.GetProperty("cases").EnumerateArray().Select(c => c.GetString() ?? "?")]);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException && !abort.IsCancellationRequested)
            {
                // Unhealthy (503 while storage is unreachable), restarting, or not answering: ask the next one.
            }
        }

        return null;
    }

    private static async Task<SoakClock> WaitHealthyAsync(Cluster cluster, CancellationToken abort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", "dev-operator"); // /healthz shows the workflow clock to operators only
        var watch = Stopwatch.StartNew();
        JsonElement? health = null;
        foreach (var p in cluster.Processes)
        {
            while (true)
            {
                try
                {
                    var text = await http.GetStringAsync(new Uri(p.BaseAddress, "/healthz"), abort);
                    health = JsonDocument.Parse(text).RootElement.Clone();
                    break;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !abort.IsCancellationRequested)
                {
                    if (watch.Elapsed > TimeSpan.FromMinutes(3))
                    {
                        throw new TimeoutException($"self-host {p.Number} did not answer /healthz within 3 minutes (see its log)");
                    }

                    await Task.Delay(500, abort);
                }
            }
        }

        return SoakClock.FromHealth(health!.Value);
    }

    private static Dictionary<string, string> Settings(SoakOptions o, string connectionString, string hub, int port)
    {
        static string Span(TimeSpan t) => t.ToString("c", CultureInfo.InvariantCulture);
        return new()
        {
            ["Handoff:Storage:ConnectionString"] = connectionString,
            ["HandoffTaskHub"] = hub,
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Handoff:Clock:Start"] = ClockStart,
            ["Handoff:Clock:Speed"] = o.Speed.ToString("R", CultureInfo.InvariantCulture),
            ["Handoff:SampleData"] = "false",
            ["Handoff:Secrets:IdNumberKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Handoff:Durable:MaxQueuePollingInterval"] = "00:00:01",

            // The soak's runs (docs/reliability.md) are of one partition that one of three processes owns at a time; production's 16
            // (issue 23) spread over the three are not soaked yet.
            ["Handoff:Durable:PartitionCount"] = "1",
            ["Handoff:Durable:ControlQueueVisibilityTimeout"] = Span(o.Visibility),
            ["Handoff:Durable:WorkItemQueueVisibilityTimeout"] = Span(o.Visibility),
            ["Handoff:Orchestration:Grace"] = Span(o.Grace),
            ["Handoff:Sweep:Interval"] = "00:00:30",
            ["Handoff:Sweep:Grace"] = "00:01:00",
            ["Handoff:Sweep:FullPassInterval"] = "00:05:00",

            // An orchestration deaf to its inbox for 2 minutes of nudges is restarted (default 10): what Azurite's lost queue writes leave.
            ["Handoff:Sweep:StallAfter"] = "00:02:00",

            // Five legal days to acknowledge and to sign (defaults 1 and 3): at a day every 20 s, an on-time step then has minutes of
            // slack, more than the longest outage the kills cause, so "on time" stays on time.
            ["Handoff:Policy:AcknowledgementDays"] = "5",
            ["Handoff:Policy:AgreementDays"] = "5",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        };
    }

    private static async Task<bool> BuildAsync(string root, CancellationToken abort)
    {
        Log("building the self-host (Release)");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false };
        foreach (var arg in new[] { "build", Path.Combine("functions", "Handoff.SelfHost", "Handoff.SelfHost.csproj"), "-c", "Release", "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(arg);
        }

        using var build = Process.Start(start)!;
        await build.WaitForExitAsync(abort);
        if (build.ExitCode != 0)
        {
            Log($"the self-host did not build (exit code {build.ExitCode})");
        }

        return build.ExitCode == 0;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static List<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}

/// <summary>How long the driving took, how long after Azurite's last save it was killed, and the outage: how long Azurite was down.</summary>
public sealed record DriveResult(TimeSpan Duration, TimeSpan? AzuriteKilledAfterSave, TimeSpan? OutageDown = null, TimeSpan? OutageKilledAfterSave = null);
