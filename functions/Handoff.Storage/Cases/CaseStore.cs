using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Cases;

/// <summary>
/// The Cases table. A case is one partition, so a command's whole effect — the new state, its history rows, the outbox of notices
/// it causes, the timer token and its idempotency record — is one entity-group transaction: all of it commits or none of it.
/// Writes are conditional on the case row's ETag (optimistic concurrency).
/// </summary>
public sealed class CaseStore(StorageClients clients)
{
    public const string CaseRowKey = "case";
    private const string HistoryPrefix = "h";
    private const string IdempotencyPrefix = "k";
    private readonly TableClient _table = clients.Table(StorageNames.CasesTable);

    public static string HistoryRowKey(int sequence) => $"{HistoryPrefix}{sequence:D6}";

    /// <summary>Reads the case row and, if asked, one idempotency record, in one request.</summary>
    public async Task<(CaseRecord? Record, IdempotencyRecord? Idempotency)> LoadAsync(
        string caseId, string? idempotencyRowKey = null, CancellationToken cancellationToken = default)
    {
        var filter = idempotencyRowKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey eq {CaseRowKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and (RowKey eq {CaseRowKey} or RowKey eq {idempotencyRowKey})");
        CaseRecord? record = null;
        IdempotencyRecord? idempotency = null;
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey == CaseRowKey)
            {
                record = ReadCase(entity);
            }
            else
            {
                idempotency = new IdempotencyRecord(
                    entity.RowKey, entity.GetString("RequestHash") ?? "", entity.GetString("Command") ?? "", entity.GetInt32("Version") ?? 0);
            }
        }

        return (record, idempotency);
    }

    /// <summary>
    /// Commits <paramref name="after"/> in place of <paramref name="before"/> (null: create), appending <paramref name="events"/>
    /// to the history and recording <paramref name="idempotency"/>, atomically. A concurrent change or a duplicate create returns
    /// <see cref="CommitResult.Conflict"/> and writes nothing.
    /// </summary>
    public async Task<CommitResult> CommitAsync(
        CaseRecord? before, CaseRecord after, IReadOnlyList<CaseEvent> events, IdempotencyRecord? idempotency,
        CancellationToken cancellationToken = default)
    {
        var caseId = after.State.CaseId;
        var actions = new List<TableTransactionAction>(events.Count + 2)
        {
            before is null
                ? new TableTransactionAction(TableTransactionActionType.Add, WriteCase(after))
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, WriteCase(after), before.ETag),
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

        if (idempotency is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(caseId, idempotency.RowKey)
            {
                ["RequestHash"] = idempotency.RequestHash,
                ["Command"] = idempotency.Command,
                ["Version"] = idempotency.Version,
            }));
        }

        if (actions.Count > 100)
        {
            throw new InvalidOperationException($"A commit of {actions.Count} rows exceeds the 100-row table transaction limit.");
        }

        try
        {
            var response = await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return new CommitResult(true, response.Value[0].Headers.ETag ?? default);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
        {
            return CommitResult.Conflict;
        }
    }

    /// <summary>Rewrites the case row alone (outbox cleared, index version moved), conditional on its ETag.</summary>
    public async Task<CommitResult> UpdateAsync(CaseRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _table.UpdateEntityAsync(WriteCase(record), record.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new CommitResult(true, response.Headers.ETag ?? default);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return CommitResult.Conflict;
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
            ["TimerToken"] = record.TimerToken,
            ["IndexedVersion"] = record.IndexedVersion,
            ["CaseState"] = record.State.State.ToString(),
        };
        LargeText.Write(entity, "State", JsonSerializer.Serialize(record.State, CoreJson.Options));
        LargeText.Write(entity, "Outbox", JsonSerializer.Serialize(record.Outbox, CoreJson.Options));
        return entity;
    }

    private static CaseRecord ReadCase(TableEntity entity) => new(
        JsonSerializer.Deserialize<Case>(LargeText.Read(entity, "State"), CoreJson.Options)!,
        entity.GetInt32("Version") ?? 0,
        JsonSerializer.Deserialize<List<Notice>>(LargeText.Read(entity, "Outbox"), CoreJson.Options) ?? [],
        entity.GetString("TimerToken") ?? "",
        entity.GetInt32("IndexedVersion") ?? 0,
        entity.ETag);
}
