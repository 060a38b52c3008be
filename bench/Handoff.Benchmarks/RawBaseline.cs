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
        rates["queue POST"] = await TimeAsync(perKind, concurrency, i => queue.SendMessageAsync("{\"caseId\":\"HO-0000000000AB\",\"token\":\"t\",\"version\":1}"));

        // Receive, update and delete each need a message in hand: receive them first (timed as the GET rate), then update, then delete.
        var received = new System.Collections.Concurrent.ConcurrentBag<Azure.Storage.Queues.Models.QueueMessage>();
        rates["queue GET"] = await TimeAsync(perKind, concurrency, async i =>
        {
            foreach (var m in (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(600))).Value)
            {
                received.Add(m);
            }
        });
        var messages = received.ToArray();
        var updated = new Azure.Storage.Queues.Models.UpdateReceipt[messages.Length];
        rates["queue PUT"] = await TimeAsync(messages.Length, concurrency, async i =>
            updated[i] = (await queue.UpdateMessageAsync(messages[i].MessageId, messages[i].PopReceipt, visibilityTimeout: TimeSpan.FromSeconds(600))).Value);
        rates["queue DELETE"] = await TimeAsync(messages.Length, concurrency, i => queue.DeleteMessageAsync(messages[i].MessageId, updated[i].PopReceipt));

        var known = mix.Where(k => rates.ContainsKey(k.Key)).ToList();
        var total = known.Sum(k => k.Value);
        var seconds = known.Sum(k => k.Value / rates[k.Key]);
        return new Result(total / seconds, rates);
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
