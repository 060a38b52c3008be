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
/// The Cases table: our own record of a case, independent of the engine's history (which is purged after completion). A case is one
/// partition, so a step's whole effect — the new state, its history rows and its command row — is one entity-group transaction: all
/// of it commits or none of it. The partition also holds the case's inbox: the command rows the API writes before it raises anything
/// (<see cref="CommandRecord"/>). Only the case's activity writes the case row, and every write is conditional on the case row's ETag
/// and the command row's, so a duplicated activity run cannot apply a step twice.
/// </summary>
public sealed class CaseStore(StorageClients clients)
{
    public const string CaseRowKey = "case";
    public const string RestoreRowKey = "restore";
    private const string HistoryPrefix = "h";
    private readonly TableClient _table = clients.Table(StorageNames.CasesTable);

    public static string HistoryRowKey(int sequence) => $"{HistoryPrefix}{sequence:D6}";

    /// <summary>Reads the case row and, if asked, one command row, in one request.</summary>
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
    /// The case row and its open command rows (accepted, or decided and not yet published) — and the row of <paramref name="alsoCommandId"/>
    /// whatever its state (a tick being applied again), and with <paramref name="withHistory"/> the case's history — in one request.
    /// </summary>
    public async Task<Inbox> LoadInboxAsync(string caseId, string? alsoCommandId = null, bool withHistory = false, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {caseId} and (RowKey eq {CaseRowKey} or (RowKey ge {"c"} and RowKey lt {"d"} and Open eq {true}))");
        if (alsoCommandId is not null)
        {
            filter = $"({filter}) or " + TableClient.CreateQueryFilter($"(PartitionKey eq {caseId} and RowKey eq {CommandRecord.RowKeyFor(alsoCommandId)})");
        }

        if (withHistory)
        {
            filter = $"({filter}) or " + TableClient.CreateQueryFilter($"(PartitionKey eq {caseId} and RowKey ge {HistoryPrefix} and RowKey lt {"i"})");
        }

        CaseRecord? record = null;
        CommandRecord? also = null;
        var open = new List<CommandRecord>();
        var history = withHistory ? new List<HistoryEntry>() : null;
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.RowKey == CaseRowKey)
            {
                record = ReadCase(entity);
                continue;
            }

            if (entity.RowKey.StartsWith(HistoryPrefix, StringComparison.Ordinal))
            {
                history?.Add(ReadHistory(entity));
                continue;
            }

            var command = ReadCommand(entity);
            if (command.CommandId == alsoCommandId)
            {
                also = command;
            }

            if (command.Open)
            {
                open.Add(command);
            }
        }

        return new Inbox(record, open, also, history);
    }

    /// <summary>
    /// Writes a received command into the case's inbox. False when a row with its id is there already (a retry, or a concurrent
    /// duplicate): nothing is written then, and the first row — with its first <see cref="CommandRecord.ReceivedAt"/> — stands.
    /// Otherwise the row as written, with its ETag.
    /// </summary>
    public async Task<CommandRecord?> AcceptAsync(string caseId, CommandRecord accepted, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _table.AddEntityAsync(WriteCommand(caseId, accepted), cancellationToken).ConfigureAwait(false);
            return accepted with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>
    /// Commits <paramref name="after"/> in place of <paramref name="before"/> (null: create), appending <paramref name="events"/> and
    /// writing <paramref name="step"/>'s row as decided, atomically — conditional on the case row's ETag and on the step row's (an insert
    /// for a row not in the inbox, a tick's). Returns the case row's new ETag (the next step of the same run is conditional on it); null
    /// when either row changed since it was read: nothing is written then.
    /// </summary>
    /// <param name="published">Steps an earlier run published, marked so in the same transaction (as many as it has room for).</param>
    public async Task<ETag?> CommitAsync(
        CaseRecord? before, CaseRecord after, IReadOnlyList<CaseEvent> events, CommandRecord step, IReadOnlyList<CommandRecord>? published = null,
        CancellationToken cancellationToken = default)
    {
        var caseId = after.State.CaseId;
        var actions = new List<TableTransactionAction>(events.Count + 2)
        {
            before is null
                ? new TableTransactionAction(TableTransactionActionType.Add, WriteCase(after))
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, WriteCase(after), before.ETag),
            StepAction(caseId, step),
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

        if (actions.Count > MaxRowsPerStep)
        {
            throw new InvalidOperationException($"A commit of {actions.Count} rows exceeds the 100-row table transaction limit.");
        }

        actions.AddRange((published ?? []).Take(MaxRowsPerStep - actions.Count).Select(p => Published(caseId, p)));
        try
        {
            var responses = await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return responses.Value[0].Headers.ETag ?? throw new InvalidOperationException("The transaction's answer carries no ETag for the case row.");
        }
        catch (TableTransactionFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>The most rows one step may commit: the table's transaction limit.</summary>
    public const int MaxRowsPerStep = 100;

    /// <summary>
    /// Writes a step that changed nothing in the case (refused, or already in effect) as decided — conditional on its row's ETag, or an
    /// insert for a row not in the inbox. False when the row changed since it was read (another run decided it).
    /// </summary>
    /// <param name="published">Steps an earlier run published, marked so in the same transaction.</param>
    public Task<bool> RecordAsync(string caseId, CommandRecord step, IReadOnlyList<CommandRecord>? published = null, CancellationToken cancellationToken = default) =>
        SubmitAsync([StepAction(caseId, step), .. (published ?? []).Take(MaxRowsPerStep - 1).Select(p => Published(caseId, p))], cancellationToken);

    /// <summary>
    /// Marks decided steps as published, dropping what they no longer need (payload, notices): one transaction per 100 rows. Idempotent.
    /// </summary>
    public async Task MarkPublishedAsync(string caseId, IEnumerable<CommandRecord> steps, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in steps.Chunk(MaxRowsPerStep))
        {
            await _table.SubmitTransactionAsync(chunk.Select(s => Published(caseId, s)).ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A decided step's row, marked published: what it no longer needs (payload, notices) dropped.</summary>
    private static TableTransactionAction Published(string caseId, CommandRecord step) => new(TableTransactionActionType.UpsertReplace,
        WriteCommand(caseId, step with { Published = true, Payload = null, PayloadError = null, Notices = [] }));

    /// <summary>The full history, oldest first (one range query over the case's partition).</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caseId} and RowKey ge {HistoryPrefix} and RowKey lt {"i"}");
        var entries = new List<HistoryEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ReadHistory(row));
        }

        return entries;
    }

    private static HistoryEntry ReadHistory(TableEntity row) => new(
        int.Parse(row.RowKey[1..], System.Globalization.CultureInfo.InvariantCulture),
        JsonSerializer.Deserialize<CaseEvent>(LargeText.Read(row, "Event"), CoreJson.Options)!);

    /// <summary>The reconciler's record of restoring the case's orchestration, if it ever did.</summary>
    public async Task<RestoreRecord?> RestoresAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(caseId, RestoreRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? RestoreRecord.Read(row.Value!) : null;
    }

    /// <summary>Writes the reconciler's record of a restore (conditional on the one read: false if another reconciler wrote first).</summary>
    public async Task<bool> SaveRestoresAsync(string caseId, RestoreRecord restores, CancellationToken cancellationToken = default)
    {
        var row = restores.Write(caseId, RestoreRowKey);
        try
        {
            if (restores.ETag == default)
            {
                await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _table.UpdateEntityAsync(row, restores.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>
    /// Clears a closed case's command rows (and the restore record, and the raise notes of earlier builds): what answered its command
    /// URLs and recognised retried keys. The case row and its history — the person's file — stay. Returns how many rows went.
    /// </summary>
    public async Task<int> ClearCommandsAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {caseId} and ((RowKey ge {"c"} and RowKey lt {"d"}) or (RowKey ge {"r"} and RowKey lt {"s"}))");
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey != CaseRowKey)
            {
                keys.Add(row.RowKey);
            }
        }

        foreach (var chunk in keys.Chunk(MaxRowsPerStep))
        {
            await _table.SubmitTransactionAsync(
                chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(caseId, k), ETag.All)), cancellationToken)
                .ConfigureAwait(false);
        }

        return keys.Count;
    }

    private async Task<bool> SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
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

    /// <summary>A decided step's row: replacing the accepted row it was read as (its ETag), or added when it was never in the inbox.</summary>
    private static TableTransactionAction StepAction(string caseId, CommandRecord step) => step.ETag == default
        ? new TableTransactionAction(TableTransactionActionType.Add, WriteCommand(caseId, step))
        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, WriteCommand(caseId, step), step.ETag);

    private static TableEntity WriteCase(CaseRecord record)
    {
        var entity = new TableEntity(record.State.CaseId, CaseRowKey)
        {
            ["Version"] = record.Version,
            ["CaseState"] = record.State.State.ToString(),
            ["NextDueAt"] = CaseWorkflow.NextDueAt(record.State),
        };
        LargeText.Write(entity, "State", JsonSerializer.Serialize(record.State, CoreJson.Options));
        return entity;
    }

    private static CaseRecord ReadCase(TableEntity entity) => new(
        JsonSerializer.Deserialize<Case>(LargeText.Read(entity, "State"), CoreJson.Options)!,
        entity.GetInt32("Version") ?? 0,
        entity.ETag);

    private static TableEntity WriteCommand(string caseId, CommandRecord command)
    {
        var entity = new TableEntity(caseId, CommandRecord.RowKeyFor(command.CommandId))
        {
            ["Command"] = command.Command,
            ["Status"] = command.Status.ToString(),
            ["Open"] = command.Open,
            ["ReceivedAt"] = command.ReceivedAt,
            ["SentBy"] = command.SentBy,
            ["RequestHash"] = command.RequestHash,
            ["Version"] = command.Version,
            ["Published"] = command.Published,
            ["DueBefore"] = command.DueBefore,
            ["ReservationKey"] = command.ReservationKey,
            ["Run"] = command.Run,
            ["Rejection"] = command.Rejection is null ? null : JsonSerializer.Serialize(command.Rejection, CoreJson.Options),
        };
        if (command.Payload is not null)
        {
            LargeText.Write(entity, "Payload", JsonSerializer.Serialize(command.Payload, CoreJson.Options));
        }

        if (command.Notices.Count > 0)
        {
            LargeText.Write(entity, "Notices", JsonSerializer.Serialize(command.Notices, CoreJson.Options));
        }

        return entity;
    }

    private static CommandRecord ReadCommand(TableEntity entity)
    {
        var rejection = entity.GetString("Rejection") is { Length: > 0 } r ? JsonSerializer.Deserialize<Rejection>(r, CoreJson.Options) : null;

        // Rows written before the inbox (schema 2) have no status: they were written once decided.
        var status = Enum.TryParse<CommandStatus>(entity.GetString("Status"), out var s) ? s : rejection is null ? CommandStatus.Applied : CommandStatus.Refused;
        CaseCommand? payload = null;
        string? payloadError = null;
        if (LargeText.Has(entity, "Payload"))
        {
            try
            {
                payload = JsonSerializer.Deserialize<CaseCommand>(LargeText.Read(entity, "Payload"), CoreJson.Options);
                payloadError = payload is null ? "the payload is empty" : null;
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
            {
                payloadError = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        return new CommandRecord
        {
            CommandId = entity.RowKey[1..],
            Command = entity.GetString("Command") ?? "",
            ReceivedAt = entity.GetDateTimeOffset("ReceivedAt") ?? entity.GetDateTimeOffset("AppliedAt") ?? default,
            Status = status,
            SentBy = entity.GetString("SentBy"),
            RequestHash = entity.GetString("RequestHash"),
            Payload = payload,
            PayloadError = payloadError ?? (status == CommandStatus.Accepted && payload is null ? "the payload is missing" : null),
            Version = entity.GetInt32("Version") ?? 0,
            Rejection = rejection,
            Notices = LargeText.Has(entity, "Notices")
                ? JsonSerializer.Deserialize<List<Notice>>(LargeText.Read(entity, "Notices"), CoreJson.Options) ?? []
                : [],
            Published = entity.GetBoolean("Published") ?? false,
            DueBefore = entity.GetDateTimeOffset("DueBefore"),
            ReservationKey = entity.GetString("ReservationKey"),
            Run = entity.GetString("Run"),
            ETag = entity.ETag,
        };
    }
}
