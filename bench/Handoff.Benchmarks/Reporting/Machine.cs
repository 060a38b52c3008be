using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Handoff.Benchmarks.Reporting;

/// <summary>What the numbers were measured on, and how busy it was (the machine is shared: timings come with the load average).</summary>
public static class Machine
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static string Describe() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";

    /// <summary>The 1, 5 and 15 minute load averages, or n/a off Linux.</summary>
    public static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>A progress line on stderr with the time since start and the load.</summary>
    public static void Say(string what) =>
        Console.Error.WriteLine($"[{Clock.Elapsed:mm\\:ss}] {what} (load {Load()})");
}
