using System.Text.Json;
using Azure.Data.Tables;
using Handoff.Core.Cases;
using Handoff.Core.Serialization;
using Handoff.Storage.Cases;
using Handoff.Storage.Infrastructure;

namespace Handoff.Soak;

/// <summary>
/// Everything the checks compare, read straight from the tables at one moment: our Cases (case rows, histories, command rows),
/// Inbox, CaseIndex (its blocked partition too) and Persons, and the engine's Instances table of the task hub; and what <c>/healthz</c>
/// lists as blocked, when it was read.
/// </summary>
public sealed class StorageSnapshot
{
    public required IReadOnlyDictionary<string, CaseData> Cases { get; init; }

    public required IReadOnlyList<TableEntity> Inbox { get; init; }

    public required IReadOnlyList<TableEntity> Index { get; init; }

    public required IReadOnlyList<TableEntity> Persons { get; init; }

    /// <summary>The case ids <c>/healthz</c> listed under <c>blocked.cases</c> (operator key), and its <c>blocked.count</c>; null if not read.</summary>
    public (int Count, IReadOnlyList<string> Cases)? HealthBlocked { get; set; }

    /// <summary>Instance id → the engine's runtime status (Running, Completed, …).</summary>
    public required IReadOnlyDictionary<string, string> Instances { get; init; }

    public static async Task<StorageSnapshot> ReadAsync(TableServiceClient tables, string taskHub, CancellationToken cancellationToken)
    {
        var rows = await AllAsync(tables.GetTableClient(StorageNames.CasesTable), cancellationToken).ConfigureAwait(false);
        var cases = new Dictionary<string, CaseData>(StringComparer.Ordinal);
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            var caseRow = partition.FirstOrDefault(r => r.RowKey == CaseStore.CaseRowKey);
            var history = partition.Where(r => r.RowKey.StartsWith('h')).OrderBy(r => r.RowKey, StringComparer.Ordinal)
                .Select(r => JsonSerializer.Deserialize<CaseEvent>(Text(r, "Event"), CoreJson.Options)!).ToList();
            // Command rows (c{commandId}, ticks too): Status Accepted until the case's activity decides them (Applied or Refused); Open
            // while accepted or decided and not yet marked published (the API writes both columns; Published for rows that lack Open).
            // The rows an activity call (its Run) decided are published by that call and marked by the case's next call, in its first
            // commit: the latest call's rows stay open until then (their effects are what the notice and index checks look at), so only
            // an open row decided by an earlier call is one never published.
            var commands = partition.Where(r => r.RowKey.StartsWith('c') && r.RowKey != CaseStore.CaseRowKey).ToList();
            var latestRun = commands.Where(r => !Accepted(r)).MaxBy(r => r.GetInt32("Version") ?? 0)?.GetString("Run");
            static string Describe(TableEntity r) => $"{r.GetString("Command")} {r.RowKey} ({r.GetString("Status")}, received {r.GetDateTimeOffset("ReceivedAt"):O})";
            static bool Accepted(TableEntity r) => r.GetString("Status") == nameof(CommandStatus.Accepted);
            cases[partition.Key] = new CaseData(
                partition.Key,
                caseRow is null ? null : Text(caseRow, "State"),
                caseRow is null ? null : JsonSerializer.Deserialize<Case>(Text(caseRow, "State"), CoreJson.Options),
                history,
                commands.Count,
                [.. commands.Where(Accepted).Select(Describe)],
                [.. commands.Where(r => !Accepted(r) && (r.GetBoolean("Open") ?? r.GetBoolean("Published") != true)
                    && (latestRun is null || r.GetString("Run") != latestRun)).Select(Describe)]);
        }

        var instances = await AllAsync(tables.GetTableClient(taskHub + "Instances"), cancellationToken).ConfigureAwait(false);
        return new StorageSnapshot
        {
            Cases = cases,
            Inbox = await AllAsync(tables.GetTableClient(StorageNames.InboxTable), cancellationToken).ConfigureAwait(false),
            Index = await AllAsync(tables.GetTableClient(StorageNames.CaseIndexTable), cancellationToken).ConfigureAwait(false),
            Persons = await AllAsync(tables.GetTableClient(StorageNames.PersonsTable), cancellationToken).ConfigureAwait(false),
            Instances = instances.ToDictionary(r => r.PartitionKey, r => r.GetString("RuntimeStatus") ?? "?", StringComparer.Ordinal),
        };
    }

    /// <summary>A long string property, possibly split across <c>Name</c>, <c>Name_1</c>… (Handoff.Storage's LargeText).</summary>
    public static string Text(TableEntity row, string name)
    {
        var parts = row.GetInt32($"{name}_parts") ?? 1;
        return string.Concat(Enumerable.Range(0, parts).Select(i => row.GetString(i == 0 ? name : $"{name}_{i}")));
    }

    private static async Task<List<TableEntity>> AllAsync(TableClient table, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // Not created yet.
        }

        return rows;
    }
}

/// <summary>
/// One case partition: the case row (as stored and parsed), its history, how many command rows it holds, those still accepted (never
/// decided: lost if they stay so), and those decided by an earlier activity call but still open (never published).
/// </summary>
public sealed record CaseData(
    string CaseId, string? StateJson, Case? State, IReadOnlyList<CaseEvent> History, int Commands, IReadOnlyList<string> Accepted, IReadOnlyList<string> DecidedOpen);
