using System.Globalization;
using Handoff.Benchmarks;
using Handoff.Storage.Emulator;

// Usage: dotnet run -c Release --project bench/Handoff.Benchmarks [-- --handoffs 200 --concurrency 16 --timers 40]
var options = BenchOptions.Parse(args);
var root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run inside the repository.");
await using var azurite = await AzuriteLauncher.StartAsync(root, dataFolder: null);
Console.WriteLine($"Azurite (in memory) on 127.0.0.1:{azurite.TablePort}/{azurite.QueuePort}; {Environment.ProcessorCount} cores; {options}");

await Handoff.Storage.Infrastructure.StorageClients.FromConnectionString(azurite.ConnectionString).EnsureCreatedAsync();

// Lateness first, while the emulator is fresh and idle; then the handoffs, then the raw baseline for the same request mix.
var lateness = await LatenessBench.RunAsync(azurite.ConnectionString, options.Timers);
var handoffs = await HandoffBench.RunAsync(azurite.ConnectionString, options);
var baseline = await RawBaseline.RunAsync(azurite.ConnectionString, handoffs.RequestsByKind, options.Concurrency);

var perHandoff = (double)handoffs.TotalRequests / options.Handoffs;
var predicted = baseline.RequestsPerSecond / perHandoff;
var ratio = handoffs.HandoffsPerSecond / predicted;
string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

Console.WriteLine();
Console.WriteLine("| measure | value | goal |");
Console.WriteLine("|---|---|---|");
Console.WriteLine($"| storage requests per command, API path (read + wake-up send + transaction) | {F(handoffs.CommandRequests / (double)handoffs.Commands)} | ≤ 5 |");
Console.WriteLine($"| storage requests per wake-up pass (worker: receive share, read, deliver, index, clear, re-arm) | {F(handoffs.WorkerRequests / (double)handoffs.WorkerMessages)} | — |");
Console.WriteLine($"| storage requests per command, all in (API + worker, incl. notice delivery) | {F(handoffs.TotalRequests / (double)handoffs.Commands)} | — |");
Console.WriteLine($"| notices delivered per handoff | {F(handoffs.Notices / (double)options.Handoffs)} | — |");
Console.WriteLine($"| storage requests per handoff (5 commands) | {F(perHandoff)} | — |");
Console.WriteLine($"| raw Azurite requests/s for the same request mix, each kind at its raw rate with {options.Concurrency} callers (baseline) | {F(baseline.RequestsPerSecond)} | — |");
Console.WriteLine($"| end-to-end handoffs/s ({options.Concurrency} concurrent) | {F(handoffs.HandoffsPerSecond)} | — |");
Console.WriteLine($"| handoffs/s ÷ (baseline ÷ requests per handoff) | {F(ratio)} | ≥ 0.8 |");
Console.WriteLine($"| wake-up lateness after due, idle, p50 / p99 / max (ms, {lateness.Count} timers) | {F(lateness.P50)} / {F(lateness.P99)} / {F(lateness.Max)} | p99 ≤ 2000 |");
Console.WriteLine();
Console.WriteLine("Requests by kind for the handoffs: " + string.Join(", ", handoffs.RequestsByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
Console.WriteLine("Raw rates by kind (req/s): " + string.Join(", ", baseline.RateByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {F(k.Value)}")));
