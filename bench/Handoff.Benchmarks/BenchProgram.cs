using System.Diagnostics;
using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Measurements;
using Handoff.Benchmarks.Reporting;

namespace Handoff.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Handoff.Benchmarks -- [--quick] [--only sections] [--out file.md]</c>.
/// The idle measurements and the latency from another instance (idle most of the time) run beside the busy ones, each group on
/// its own in-memory Azurite so no system under test sees another's tables (our tables are shared by every hub of an account, and
/// a reconciler would act on other hubs' cases). Every Azurite it starts is killed at the end, also on failure.
/// </summary>
public static class BenchProgram
{
    private static readonly FloorProfile[] CurveProfiles =
    [
        new(1, TimeSpan.FromSeconds(1)),
        new(1, TimeSpan.FromSeconds(5)),
        new(1, TimeSpan.FromSeconds(10)),
        new(1, TimeSpan.FromSeconds(30)),
        new(4, TimeSpan.FromSeconds(30), DurableDefaults: true),

        // Issue 23: what a hub that lets 4 or 16 instances share the orchestrations costs idle, at our polling.
        new(4, TimeSpan.FromSeconds(10)),
        new(16, TimeSpan.FromSeconds(10)),
    ];

    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var started = Stopwatch.GetTimestamp();
        var results = new Results { Options = options, StartedAt = TimeProvider.System.GetUtcNow(), LoadAtStart = Machine.Load() };
        var signals = new FloorSignals();
        Machine.Say($"Handoff benchmark, sections: {string.Join(", ", options.Only)}{(options.Quick ? " (quick)" : "")}");

        var beside = Task.WhenAll(
            SectionAsync("idle", options, results, () => IdleAsync(options, results, signals)),
            SectionAsync("latency", options, results, () => CrossProcessAsync(options, results)));
        await SectionAsync("handoff", options, results, async () =>
        {
            EngineLog.Section = "handoff";
            await using var azurite = await Emulator.StartAsync();
            results.Handoffs = await HandoffRequests.HandoffsAsync(azurite.ConnectionString, options);
            results.FloorHandoff = await HandoffRequests.FloorHandoffAsync(azurite.ConnectionString, options, signals);
            results.FloorOne = await HandoffRequests.FloorOneAsync(azurite.ConnectionString, options, signals);
        });
        await SectionAsync("timers", options, results, async () =>
        {
            EngineLog.Section = "timers";
            await using var azurite = await Emulator.StartAsync();
            results.Timers = await TimerLateness.RunAsync(azurite.ConnectionString, options, signals);
        });
        await SectionAsync("demo", options, results, async () =>
        {
            EngineLog.Section = "demo";
            await using var azurite = await Emulator.StartAsync();
            results.Demo = await DemoTimers.RunAsync(azurite.ConnectionString, options);
        });
        await SectionAsync("county", options, results, async () =>
        {
            EngineLog.Section = "county";
            results.County = await CountyBurst.RunAsync(options, signals);
        });
        await SectionAsync("parked", options, results, async () =>
        {
            EngineLog.Section = "parked";
            await using var azurite = await Emulator.StartAsync();
            results.Parked = await ParkedCases.RunAsync(azurite.ConnectionString, options, signals);
        });

        await SectionAsync("dashboard", options, results, async () =>
        {
            EngineLog.Section = "dashboard";
            await using var azurite = await Emulator.StartAsync();
            results.Dashboard = await DashboardCost.RunAsync(azurite.ConnectionString, options);
        });

        await SectionAsync("channels", options, results, async () =>
        {
            EngineLog.Section = "channels";
            await using var azurite = await Emulator.StartAsync();
            results.Channels = await ChannelBurst.RunAsync(azurite.ConnectionString, options);
        });

        await SectionAsync("national", options, results, async () =>
        {
            EngineLog.Section = "national";
            results.National = await NationalScale.RunAsync(options, signals);
        });

        EngineLog.Section = "idle and latency, after the others";
        await beside;
        results.Duration = Stopwatch.GetElapsedTime(started);
        results.LoadAtEnd = Machine.Load();
        var report = Report.Write(results);
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Out is { } path)
        {
            await File.WriteAllTextAsync(path, report);
            Machine.Say($"results written to {path}");
        }

        return 0;
    }

    /// <summary>Runs a section if asked for; a failure is recorded for the report and the run goes on (its Azurite is killed).</summary>
    private static async Task SectionAsync(string section, BenchOptions options, Results results, Func<Task> run)
    {
        if (!options.Runs(section))
        {
            return;
        }

        try
        {
            await run();
        }
        catch (Exception ex)
        {
            results.Failures[section] = $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
            Machine.Say($"section {section} failed: {ex}");
        }
    }

    private static async Task IdleAsync(BenchOptions options, Results results, FloorSignals signals)
    {
        await using var azurite = await Emulator.StartAsync();
        var ours = IdleCost.HandoffAsync(azurite.ConnectionString, options);
        var curve = await Task.WhenAll(CurveProfiles.Select(p => IdleCost.FloorAsync(azurite.ConnectionString, p, options, signals)));
        results.Curve.AddRange(curve);
        results.IdleOurs = await ours;
    }

    private static async Task CrossProcessAsync(BenchOptions options, Results results)
    {
        await using var azurite = await Emulator.StartAsync();
        results.CrossProcess = await CrossProcessLatency.RunAsync(azurite.ConnectionString, options);
    }
}
