using Handoff.Storage.Emulator;

namespace Handoff.Benchmarks.Hosting;

/// <summary>An in-memory Azurite on free ports for one group of measurements; disposing kills it (Azurite ignores SIGTERM).</summary>
public static class Emulator
{
    public static Task<AzuriteLauncher> StartAsync() =>
        AzuriteLauncher.StartAsync(
            AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("Run the benchmark from the repository (package.json beside Handoff.sln)."),
            dataFolder: null, ports: null, log: line => Console.Error.WriteLine(line));
}
