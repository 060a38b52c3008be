using System.Globalization;

namespace Handoff.Benchmarks;

/// <summary>
/// What to run and how much: a full run takes about 45 minutes on a busy 2-core machine, <c>--quick</c> about 15. Sections
/// (<c>--only a,b</c>): <c>idle</c> (idle cost and the polling curve), <c>latency</c> (command latency from another instance),
/// <c>handoff</c> (requests per handoff, in-process latency, the floors), <c>timers</c> (real-clock lateness, bursts of deadlines),
/// <c>demo</c> (compressed clock), <c>county</c> (one county's midnight burst at two sizes, against the engine's bare timers),
/// <c>parked</c> (storage and requests per parked case), <c>dashboard</c> (the province dashboard), <c>channels</c> (1,000 escalation notices
/// to 10 group robots, issue 22; the same size with <c>--quick</c>). The first two run beside the others: they are idle most of the time.
/// </summary>
public sealed record BenchOptions
{
    public static readonly string[] Sections = ["idle", "latency", "handoff", "timers", "demo", "county", "parked", "dashboard", "channels", "national"];

    public bool Quick { get; init; }

    /// <summary>Every section but <c>national</c> (an hour on its own: <c>--only national</c>).</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(Sections.Where(s => s != "national"), StringComparer.Ordinal);

    public string? Out { get; init; }

    public TimeSpan IdleWarmup { get; init; } = TimeSpan.FromSeconds(75);

    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Events raised from another instance per polling setting (each after the poller has backed off fully).</summary>
    public int CurveSamples { get; init; } = 6;

    public int CrossProcessSamples { get; init; } = 10;

    public int Handoffs { get; init; } = 30;

    /// <summary>
    /// The pause after each command (and each floor step) before the next: commands on a case come minutes apart, so each step's
    /// last episode has run before the next event arrives (otherwise the engine folds them into one episode and the floor looks
    /// cheaper than it is). It only adds empty polls, which are counted apart.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(0.5);

    public int WarmupHandoffs { get; init; } = 3;

    /// <summary>Deadlines that end at the same instant (all of a day's deadlines end at 24:00 Asia/Shanghai).</summary>
    public int TimerBurst { get; init; } = 100;

    public int TimerWaves { get; init; } = 10;

    public int DemoCases { get; init; } = 210;

    public int ParkedCases { get; init; } = 1000;

    /// <summary>Cases of one county whose release deadlines end at one midnight, one wave per size (issue 18: 100 and 300).</summary>
    public IReadOnlyList<int> CountySizes { get; init; } = [100, 300];

    public int PieceCases { get; init; } = 50;

    /// <summary>
    /// Issue 23: the ticks due at one midnight (each an open case with an orchestration). A national midnight is 10,000
    /// (<c>--national 10000,100000</c>), more than this machine's Azurite drains even for the bare engine (docs/benchmarks.md).
    /// </summary>
    public int NationalDue { get; init; } = 1_000;

    /// <summary>Issue 23: the open cases, for the pages (the due ones and parked ones: index and figures only).</summary>
    public int NationalOpen { get; init; } = 10_000;

    /// <summary>Issue 23: the worker counts the national midnight runs with (each on a fresh Azurite).</summary>
    public IReadOnlyList<int> NationalWorkers { get; init; } = [1, 2];

    /// <summary>Orchestration starts a second assumed when the national midnight is placed (a slow machine's; the quiet is reported).</summary>
    public double NationalStartRate { get; init; } = 20;

    public TimeSpan PieceWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Concurrent callers when many cases are registered (timers, demo, parked).</summary>
    public int Concurrency { get; init; } = 8;

    public bool Runs(string section) => Only.Contains(section);

    public string Describe() =>
        $"{(Quick ? "--quick" : "full")}: idle warm-up {IdleWarmup.TotalSeconds:0} s + window {IdleWindow.TotalSeconds:0} s, {CurveSamples} events per polling setting, "
        + $"{CrossProcessSamples} commands from another instance, {Handoffs} handoffs, {TimerWaves} × {TimerBurst} real-clock deadlines, {DemoCases} demo cases, "
        + $"{string.Join(" and ", CountySizes)} cases of one county at a midnight, {ParkedCases} parked cases, {PieceCases} cases for timer pieces, "
        + $"{(Measurements.ChannelBurst.Robots * Measurements.ChannelBurst.NoticesPerRobot).ToString("N0", CultureInfo.InvariantCulture)} notices to {Measurements.ChannelBurst.Robots} group robots, "
        + $"a national midnight of {NationalDue.ToString("N0", CultureInfo.InvariantCulture)} ticks among {NationalOpen.ToString("N0", CultureInfo.InvariantCulture)} open cases";

    public static BenchOptions Parse(string[] args)
    {
        var options = args.Contains("--quick") ? QuickRun() : new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--quick" => options,
                "--only" => options with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal) },
                "--out" => options with { Out = Next() },
                "--handoffs" => options with { Handoffs = Number() },
                "--timers" => options with { TimerWaves = Math.Max(1, Number() / options.TimerBurst) },
                "--burst" => options with { TimerBurst = Number() },
                "--demo-cases" => options with { DemoCases = Number() },
                "--parked" => options with { ParkedCases = Number() },
                "--county" => options with { CountySizes = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture))] },
                "--samples" => Samples(options, Number()),
                "--national" => National(options, Next()),
                "--national-workers" => options with { NationalWorkers = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture))] },
                "--national-start-rate" => options with { NationalStartRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --quick, --only {string.Join(',', Sections)}, --out FILE, "
                    + "--handoffs N, --burst N, --timers N, --demo-cases N, --county N,M, --parked N, --samples N, --national DUE,OPEN, --national-workers 1,2, --national-start-rate N"),
            };
        }

        var unknown = options.Only.Except(Sections).ToList();
        return unknown.Count > 0 ? throw new ArgumentException($"Unknown section(s): {string.Join(", ", unknown)}") : options;
    }

    private static BenchOptions National(BenchOptions options, string value)
    {
        var sizes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList();
        return sizes.Count == 2 && sizes[0] > 0 && sizes[1] >= sizes[0]
            ? options with { NationalDue = sizes[0], NationalOpen = sizes[1] }
            : throw new ArgumentException("--national DUE,OPEN: the ticks due at the midnight and the open cases in all (at least as many)");
    }

    private static BenchOptions Samples(BenchOptions options, int samples) => options with { CurveSamples = samples, CrossProcessSamples = samples };

    private static BenchOptions QuickRun() => new()
    {
        Quick = true,
        IdleWarmup = TimeSpan.FromSeconds(65),
        IdleWindow = TimeSpan.FromSeconds(60),
        CurveSamples = 3,
        CrossProcessSamples = 4,
        Handoffs = 10,
        TimerWaves = 2,
        DemoCases = 50,
        CountySizes = [50, 150],
        ParkedCases = 300,
        PieceCases = 30,
        PieceWindow = TimeSpan.FromSeconds(40),
        NationalDue = 300,
        NationalOpen = 3_000,
    };
}
