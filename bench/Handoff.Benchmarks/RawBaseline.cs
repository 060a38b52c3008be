using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using Handoff.Storage.Infrastructure;

namespace Handoff.Benchmarks;

/// <summary>
/// The baseline: for each kind of storage request the handoffs made, its raw rate on Azurite with the same number of concurrent
/// callers and no workflow in between; then the time the handoffs' request mix would take at those rates.
/// Table requests are timed kind by kind. Queue requests run as send → receive → update → delete cycles, so the queue stays as
/// shallow as the wake-up queue does (Azurite's receive and delete slow down with queue depth); each kind's rate is the callers
/// divided by its mean latency.
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
        var rates = new Dictionary<string, double>
        {
            ["table GET"] = await TimeAsync(perKind, concurrency, async i =>
            {
                await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == "p" && e.RowKey == "r"))
                {
                }
            }),
            ["table POST"] = await TimeAsync(perKind, concurrency, i => table.SubmitTransactionAsync(Enumerable.Range(0, 4).Select(j =>
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity($"b{i}", $"r{j}") { ["Value"] = new string('x', 1000) })))),
            ["table PUT"] = await TimeAsync(perKind, concurrency, i =>
                table.UpsertEntityAsync(new TableEntity($"u{i % 50}", "r") { ["Value"] = new string('x', 2000) }, TableUpdateMode.Replace)),
        };

        var latency = new ConcurrentDictionary<string, (double Seconds, int Count)>();
        void Add(string kind, Stopwatch watch) =>
            latency.AddOrUpdate(kind, (watch.Elapsed.TotalSeconds, 1), (_, t) => (t.Seconds + watch.Elapsed.TotalSeconds, t.Count + 1));

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = 0; i < perKind / concurrency; i++)
            {
                var watch = Stopwatch.StartNew();
                await queue.SendMessageAsync("{\"caseId\":\"HO-0000000000AB\",\"token\":\"t\",\"version\":1}");
                Add("queue POST", watch);
                Azure.Storage.Queues.Models.QueueMessage[] got;
                do
                {
                    watch.Restart();
                    got = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value;
                    Add("queue GET", watch);
                }
                while (got.Length == 0);

                try
                {
                    watch.Restart();
                    var updated = (await queue.UpdateMessageAsync(got[0].MessageId, got[0].PopReceipt, visibilityTimeout: TimeSpan.FromMinutes(5))).Value;
                    Add("queue PUT", watch);
                    watch.Restart();
                    await queue.DeleteMessageAsync(got[0].MessageId, updated.PopReceipt);
                    Add("queue DELETE", watch);
                }
                catch (Azure.RequestFailedException ex) when (ex.Status == 404 || ex.ErrorCode == "PopReceiptMismatch")
                {
                    // Azurite now and then answers 404 or PopReceiptMismatch for a message just received (seen here, cause not investigated).
                }
            }
        }));
        foreach (var (kind, (seconds, count)) in latency)
        {
            rates[kind] = concurrency / (seconds / count);
        }

        var known = mix.Where(k => rates.ContainsKey(k.Key)).ToList();
        return new Result(known.Sum(k => k.Value) / known.Sum(k => k.Value / rates[k.Key]), rates);
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
