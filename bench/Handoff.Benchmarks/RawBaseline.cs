using System.Diagnostics;
using Azure.Data.Tables;
using Handoff.Storage.Infrastructure;

namespace Handoff.Benchmarks;

/// <summary>
/// The same kinds of storage request the handoffs made, sent raw by the same number of concurrent callers, each kind timed on
/// its own; the baseline rate is the handoff's request mix replayed at those rates.
/// </summary>
internal static class RawBaseline
{
    public sealed record Result(double RequestsPerSecond, IReadOnlyDictionary<string, double> RateByKind);

    public static async Task<Result> RunAsync(string connectionString, IReadOnlyDictionary<string, long> mix, int concurrency)
    {
        var clients = StorageClients.FromConnectionString(connectionString);
        await clients.Tables.CreateTableIfNotExistsAsync("Raw");
        var table = clients.Table("Raw");
        var queue = clients.Queue("raw-baseline");
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Value"] = new string('x', 2000) });

        const int perKind = 800;
        var rates = new Dictionary<string, double>();
        rates["table GET"] = await TimeAsync(perKind, concurrency, async i =>
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == "p" && e.RowKey == "r"))
            {
            }
        });
        rates["table POST"] = await TimeAsync(perKind, concurrency, i => table.SubmitTransactionAsync(Enumerable.Range(0, 4)
            .Select(j => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"b{i}", $"r{j}") { ["Value"] = new string('x', 1000) }))));
        rates["table PUT"] = await TimeAsync(perKind, concurrency, i =>
            table.UpsertEntityAsync(new TableEntity($"u{i % 50}", "r") { ["Value"] = new string('x', 2000) }, TableUpdateMode.Replace));
        // Queue operations run as send → receive → update → delete cycles, so the queue stays as shallow as the wake-up queue
        // does in the handoff run (Azurite's receive and delete slow down with queue depth). Each kind's rate is the callers
        // divided by its mean latency.
        var latency = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        var cycles = perKind / concurrency;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = 0; i < cycles; i++)
            {
                var watch = Stopwatch.StartNew();
                await queue.SendMessageAsync("{\"caseId\":\"HO-0000000000AB\",\"token\":\"t\",\"version\":1}");
                Add(latency, "queue POST", watch);
                Azure.Storage.Queues.Models.QueueMessage[] got;
                do
                {
                    watch.Restart();
                    got = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(60))).Value;
                    Add(latency, "queue GET", watch);
                }
                while (got.Length == 0);

                watch.Restart();
                var updated = (await queue.UpdateMessageAsync(got[0].MessageId, got[0].PopReceipt, visibilityTimeout: TimeSpan.FromSeconds(60))).Value;
                Add(latency, "queue PUT", watch);
                watch.Restart();
                await queue.DeleteMessageAsync(got[0].MessageId, updated.PopReceipt);
                Add(latency, "queue DELETE", watch);
            }
        }));
        foreach (var kind in new[] { "queue POST", "queue GET", "queue PUT", "queue DELETE" })
        {
            rates[kind] = concurrency / (latency[kind] / latency[kind + "#"]);
        }

        var known = mix.Where(k => rates.ContainsKey(k.Key)).ToList();
        var total = known.Sum(k => k.Value);
        var seconds = known.Sum(k => k.Value / rates[k.Key]);
        return new Result(total / seconds, rates);
    }

    private static void Add(System.Collections.Concurrent.ConcurrentDictionary<string, double> latency, string kind, Stopwatch watch)
    {
        latency.AddOrUpdate(kind, watch.Elapsed.TotalSeconds, (_, total) => total + watch.Elapsed.TotalSeconds);
        latency.AddOrUpdate(kind + "#", 1, (_, n) => n + 1);
    }

    private static async Task<double> TimeAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await operation(i);
            }
        }));
        return count / stopwatch.Elapsed.TotalSeconds;
    }
}
