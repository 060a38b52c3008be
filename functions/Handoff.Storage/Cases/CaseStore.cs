using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Cases;

/// <summary>
/// The Cases table: our own record of a case, independent of the engine's history (which is purged after completion).
/// A case is one partition, so a step's whole effect — the new state, its history rows and its command record — is one
/// entity-group transaction: all of it commits or none of it. Only the case's orchestration writes here (through its activity), and
/// every write is conditional on the case row's ETag, so a duplicated activity run cannot apply a step twice.
/// </summary>
public sealed class CaseStore(StorageClients clients)
{
    public const string CaseRowKey = "case";
    private const string HistoryPrefix = "h";
    private readonly TableClient _table = clients.Table(StorageNames.CasesTable);

    public static string HistoryRowKey(int sequence) => $"{HistoryPrefix}{sequence:D6}";

    /// <summary>Reads the case row and, if asked, one command record, in one request.</summary>
    public async Task<(CaseRecord? Record, CommandRecord? Command)> LoadAsync(
        string caseId, string? commandId = null, CancellationToken cancellationToken = default)
    {
        var filter = commandId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey eq {CaseRowKey}")
            : TableClient.CreateQueryFilter(
                $"PartitionKey eq {caseId} and (RowKey eq {CaseRowKey} or RowKey eq {CommandRecord.RowKeyFor(commandId)})");
        CaseRecord? record = null;
        CommandRecord? command = null;
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey == CaseRowKey)
            {
                record = ReadCase(entity);
            }
            else
            {
                command = ReadCommand(entity);
            }
        }

        return (record, command);
    }

    /// <summary>
    /// Commits <paramref name="after"/> in place of <paramref name="before"/> (null: create), appending <paramref name="events"/> and
    /// recording <paramref name="command"/>, atomically. False when the row changed since it was read or the command is already
    /// recorded; nothing is written then.
    /// </summary>
    public async Task<bool> CommitAsync(
        CaseRecord? before, CaseRecord after, IReadOnlyList<CaseEvent> events, CommandRecord command, CancellationToken cancellationToken = default)
    {
        var caseId = after.State.CaseId;
        var actions = new List<TableTransactionAction>(events.Count + 2)
        {
            before is null
                ? new TableTransactionAction(TableTransactionActionType.Add, WriteCase(after))
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, WriteCase(after), before.ETag),
            new(TableTransactionActionType.Add, WriteCommand(caseId, command)),
        };
        var sequence = after.State.EventCount - events.Count;
        foreach (var e in events)
        {
            sequence++;
            var row = new TableEntity(caseId, HistoryRowKey(sequence))
            {
                ["Type"] = e.GetType().Name,
                ["At"] = e.At,
                ["Actor"] = e.By.OrganisationId,
                ["Credential"] = e.By.Credential,
            };
            LargeText.Write(row, "Event", JsonSerializer.Serialize(e, CoreJson.Options));
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
        }

        if (actions.Count > 100)
        {
            throw new InvalidOperationException($"A commit of {actions.Count} rows exceeds the 100-row table transaction limit.");
        }

        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>Records a step that changed nothing (refused, or already in effect). False if it was already recorded.</summary>
    public async Task<bool> RecordAsync(string caseId, CommandRecord command, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.AddEntityAsync(WriteCommand(caseId, command), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>
    /// Notes that step <paramref name="commandId"/> is being raised to the case's orchestration now, in the case's partition under
    /// <c>r{commandId}</c>. False when it was raised less than <paramref name="again"/> ago: that raise is still on its way, and another
    /// would only queue a repeat. One insert the first time; a read and a conditional update after that.
    /// </summary>
    public async Task<bool> TryMarkRaisedAsync(string caseId, string commandId, DateTimeOffset now, TimeSpan again, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(caseId, RaisedRowKey(commandId)) { ["RaisedAt"] = now };
        try
        {
            await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
        }

        var earlier = (await _table.GetEntityAsync<TableEntity>(caseId, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        if (earlier.GetDateTimeOffset("RaisedAt") is { } raisedAt && raisedAt > now - again)
        {
            return false;
        }

        try
        {
            await _table.UpdateEntityAsync(row, earlier.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return false; // Raised again by someone else just now.
        }
    }

    public static string RaisedRowKey(string commandId) => "r" + commandId;

    /// <summary>Marks a recorded step's effects as written (see <see cref="CommandRecord.Published"/>). Idempotent.</summary>
    public async Task MarkPublishedAsync(string caseId, string commandId, CancellationToken cancellationToken = default) =>
        await _table.UpdateEntityAsync(new TableEntity(caseId, CommandRecord.RowKeyFor(commandId)) { ["Published"] = true }, ETag.All,
            TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);

    /// <summary>Counts a restore of the case's orchestration (conditional on the ETag). False if the row changed meanwhile.</summary>
    public async Task<bool> CountRestoreAsync(CaseRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.UpdateEntityAsync(WriteCase(record with { Restores = record.Restores + 1 }), record.ETag, TableUpdateMode.Replace, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>The full history, oldest first (one range query over the case's partition).</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {HistoryPrefix} and RowKey lt {"i"}");
        var entries = new List<HistoryEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var e = JsonSerializer.Deserialize<CaseEvent>(LargeText.Read(row, "Event"), CoreJson.Options)!;
            entries.Add(new HistoryEntry(int.Parse(row.RowKey[1..], System.Globalization.CultureInfo.InvariantCulture), e));
        }

        return entries;
    }

    private static TableEntity WriteCase(CaseRecord record)
    {
        var entity = new TableEntity(record.State.CaseId, CaseRowKey)
        {
            ["Version"] = record.Version,
            ["CaseState"] = record.State.State.ToString(),
            ["LastAppliedAt"] = record.LastAppliedAt,
            ["NextDueAt"] = CaseWorkflow.NextDueAt(record.State),
            ["Restores"] = record.Restores,
        };
        LargeText.Write(entity, "State", JsonSerializer.Serialize(record.State, CoreJson.Options));
        return entity;
    }

    private static CaseRecord ReadCase(TableEntity entity) => new(
        JsonSerializer.Deserialize<Case>(LargeText.Read(entity, "State"), CoreJson.Options)!,
        entity.GetInt32("Version") ?? 0,
        entity.GetDateTimeOffset("LastAppliedAt") ?? default,
        entity.GetInt32("Restores") ?? 0,
        entity.ETag);

    private static TableEntity WriteCommand(string caseId, CommandRecord command)
    {
        var entity = new TableEntity(caseId, CommandRecord.RowKeyFor(command.CommandId))
        {
            ["Command"] = command.Command,
            ["RequestHash"] = command.RequestHash,
            ["Version"] = command.Version,
            ["AppliedAt"] = command.AppliedAt,
            ["Published"] = command.Published,
            ["DueBefore"] = command.DueBefore,
            ["Rejection"] = command.Rejection is null ? null : JsonSerializer.Serialize(command.Rejection, CoreJson.Options),
        };
        LargeText.Write(entity, "Notices", JsonSerializer.Serialize(command.Notices, CoreJson.Options));
        return entity;
    }

    private static CommandRecord ReadCommand(TableEntity entity) => new(
        entity.RowKey[1..],
        entity.GetString("Command") ?? "",
        entity.GetString("RequestHash"),
        entity.GetInt32("Version") ?? 0,
        entity.GetString("Rejection") is { Length: > 0 } rejection ? JsonSerializer.Deserialize<Rejection>(rejection, CoreJson.Options) : null,
        JsonSerializer.Deserialize<List<Notice>>(LargeText.Read(entity, "Notices"), CoreJson.Options) ?? [],
        entity.GetDateTimeOffset("AppliedAt") ?? default,
        entity.GetBoolean("Published") ?? false,
        entity.GetDateTimeOffset("DueBefore"));
}
