using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Handoff.Development;

namespace Handoff.Benchmarks.Hosting;

/// <summary>
/// An in-memory Azurite on free ports for one group of measurements; disposing kills it (Azurite ignores SIGTERM). Ctrl+C or
/// SIGTERM kills every one still running before the benchmark exits, so none outlives it.
/// </summary>
public static class Emulator
{
    private static readonly ConcurrentDictionary<int, byte> Running = new();
    private static readonly List<PosixSignalRegistration> Signals = [];

    public static async Task<Launched> StartAsync()
    {
        lock (Signals)
        {
            if (Signals.Count == 0)
            {
                Signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, KillAllAndExit));
                Signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, KillAllAndExit));
            }
        }

        var launcher = await AzuriteLauncher.StartAsync(
            AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("Run the benchmark from the repository (package.json beside Handoff.sln)."),
            dataFolder: null, ports: null, log: line => Console.Error.WriteLine(line));
        Running[launcher.ProcessId] = 0;
        return new Launched(launcher);
    }

    private static void KillAllAndExit(PosixSignalContext context)
    {
        foreach (var pid in Running.Keys)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
        }

        Console.Error.WriteLine($"Stopped by {context.Signal}; killed {Running.Count} Azurite process(es).");
        Environment.Exit(130);
    }

    /// <summary>A running Azurite: its connection string; disposing kills it.</summary>
    public sealed class Launched(AzuriteLauncher launcher) : IAsyncDisposable
    {
        public string ConnectionString => launcher.ConnectionString;

        public async ValueTask DisposeAsync()
        {
            Running.TryRemove(launcher.ProcessId, out _);
            await launcher.DisposeAsync();
        }
    }
}
