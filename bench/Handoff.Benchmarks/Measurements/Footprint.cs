using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Handoff.Storage.Infrastructure;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// What a set of parked cases occupies in storage, read with unmetered clients. Table rows are sized with Azure's billing formula
/// (4 bytes + 2 × the key lengths + per property 8 bytes + 2 × the name length + the value: strings 4 + 2 per character, binary
/// 4 + length, 8 for dates, longs and doubles, 4 for ints, 1 for booleans, 16 for GUIDs; the system Timestamp not counted). Queue
/// messages that are still invisible (durable timers) cannot be read: they are counted, and sized by the average timer message the
/// engine sent (as the meter saw the request bodies); visible ones by peeking.
/// </summary>
public static class Footprint
{
    public sealed record Part(string Name, long Items, long Bytes);

    public static async Task<List<Part>> EngineAsync(string connectionString, string hub, int partitions, double averageTimerMessageBytes)
    {
        var tables = new TableServiceClient(connectionString);
        var queues = new QueueServiceClient(connectionString);
        var parts = new List<Part>
        {
            await TableAsync(tables, $"{hub}History", "engine History"),
            await TableAsync(tables, $"{hub}Instances", "engine Instances"),
        };
        long messages = 0;
        for (var p = 0; p < partitions; p++)
        {
            messages += (await queues.GetQueueClient($"{hub.ToLowerInvariant()}-control-{p:D2}").GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }

        parts.Add(new Part("engine control queue (timers)", messages, (long)(messages * averageTimerMessageBytes)));
        var workItems = (await queues.GetQueueClient($"{hub.ToLowerInvariant()}-workitems").GetPropertiesAsync()).Value.ApproximateMessagesCount;
        parts.Add(new Part("engine work-item queue", workItems, (long)(workItems * averageTimerMessageBytes)));
        var blobs = new BlobServiceClient(connectionString).GetBlobContainerClient($"{hub.ToLowerInvariant()}-largemessages");
        long blobCount = 0, blobBytes = 0;
        if (await blobs.ExistsAsync())
        {
            await foreach (var blob in blobs.GetBlobsAsync())
            {
                blobCount++;
                blobBytes += blob.Properties.ContentLength ?? 0;
            }
        }

        parts.Add(new Part("engine large-message blobs", blobCount, blobBytes));
        return parts;
    }

    /// <summary>
    /// Every table of ours (<see cref="StorageNames.Tables"/>), each broken down by the kinds of row it holds (<see cref="RowKind"/>),
    /// and the notice feeds.
    /// </summary>
    public static async Task<List<Part>> OursAsync(string connectionString)
    {
        var tables = new TableServiceClient(connectionString);
        var parts = new List<Part>();
        foreach (var table in StorageNames.Tables)
        {
            parts.AddRange(await TableByKindAsync(tables, table));
        }

        // The integrators' feeds are one queue per recipient organisation (handoff-notices-{organisationId}): sum them all.
        var queues = new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        long count = 0;
        double bytes = 0;
        await foreach (var item in queues.GetQueuesAsync(prefix: StorageNames.NoticeFeedPrefix))
        {
            var feed = queues.GetQueueClient(item.Name);
            var n = (await feed.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            var peeked = (await feed.PeekMessagesAsync(32)).Value;
            count += n;
            bytes += peeked.Length == 0 ? 0 : n * peeked.Average(m => (double)m.Body.ToMemory().Length);
        }

        parts.Add(new Part($"{StorageNames.NoticeFeedPrefix}* queues", count, (long)bytes));
        return parts;
    }

    public static async Task<Part> TableAsync(TableServiceClient tables, string table, string name)
    {
        long rows = 0, bytes = 0;
        await foreach (var entity in tables.GetTableClient(table).QueryAsync<TableEntity>())
        {
            rows++;
            bytes += EntityBytes(entity);
        }

        return new Part(name, rows, bytes);
    }

    /// <summary>A table's rows by <see cref="RowKind"/>, each kind a part named "Table: kind" (a table with no rows: one empty part).</summary>
    public static async Task<List<Part>> TableByKindAsync(TableServiceClient tables, string table)
    {
        var kinds = new SortedDictionary<string, (long Rows, long Bytes)>(StringComparer.Ordinal);
        try
        {
            await foreach (var entity in tables.GetTableClient(table).QueryAsync<TableEntity>())
            {
                var kind = RowKind(table, entity);
                var (rows, bytes) = kinds.GetValueOrDefault(kind);
                kinds[kind] = (rows + 1, bytes + EntityBytes(entity));
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Not created (yet): nothing stored.
        }

        return kinds.Count == 0
            ? [new Part(table, 0, 0)]
            : [.. kinds.Select(k => new Part(k.Key.Length == 0 ? table : $"{table}: {k.Key}", k.Value.Rows, k.Value.Bytes))];
    }

    /// <summary>
    /// What a row of ours is, by its keys (docs/architecture.md; the stores' summaries): Cases — the case row, history rows
    /// (<c>h…</c>), command rows (<c>c…</c>: open while accepted or not yet published, and smaller once published), the reconciler's
    /// restore record; CaseIndex — region rows (<c>o</c>/<c>c</c> + province), due, blocked and closed rows; RegionStats — facts rows,
    /// dirty markers (<c>f…</c>/<c>!dirty_…</c>) and sums rows (<c>s…</c>); the other tables one kind each.
    /// </summary>
    public static string RowKind(string table, TableEntity row) => table switch
    {
        StorageNames.CasesTable => row.RowKey switch
        {
            Handoff.Storage.Cases.CaseStore.CaseRowKey => "case row",
            Handoff.Storage.Cases.CaseStore.RestoreRowKey => "restore record",
            var k when k.StartsWith('h') => "history rows",
            var k when k.StartsWith('c') => row.GetBoolean("Open") == true ? "command rows, open" : "command rows, published",
            _ => "other rows",
        },
        StorageNames.CaseIndexTable => row.PartitionKey switch
        {
            "due" => "due rows",
            "blocked" => "blocked rows",
            "closed" => "closed rows (command retention)",
            var p when p.Length == 3 && p[0] is 'o' or 'c' => p[0] == 'o' ? "region rows, open cases" : "region rows, closed cases",
            _ => "other rows",
        },
        StorageNames.RegionStatsTable => row.PartitionKey.StartsWith('f')
            ? row.RowKey.StartsWith('!') ? "dirty markers" : "facts rows"
            : row.PartitionKey.StartsWith('s') ? "sums rows" : "other rows",
        _ => "",
    };

    public static long EntityBytes(TableEntity entity)
    {
        long size = 4 + 2 * (entity.PartitionKey.Length + entity.RowKey.Length);
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")
            {
                continue;
            }

            size += 8 + 2 * name.Length + value switch
            {
                string s => 4 + 2 * s.Length,
                byte[] b => 4 + b.Length,
                BinaryData d => 4 + d.ToMemory().Length,
                int => 4,
                bool => 1,
                Guid => 16,
                _ => 8,
            };
        }

        return size;
    }
}
