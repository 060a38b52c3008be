using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Handoff.Core.Notices;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Notices;

/// <summary>
/// The Inbox table: PartitionKey = recipient organisation, RowKey = <c>{inverted ticks}_{noticeId}</c> (newest first).
/// Both parts derive from the notice itself, so delivering a notice twice writes the same row: one notice per id, always. A row also
/// holds <c>EscalationId</c> (an escalation's notices, so marking the escalation read finds them) and, once the recipient read it,
/// <c>ReadAt</c> and <c>ReadBy</c> (the person signed in): delivery merges, so a notice delivered again stays read.
/// </summary>
public sealed class InboxStore(StorageClients clients)
{
    private readonly TableClient _table = clients.Table(StorageNames.InboxTable);

    /// <summary>The longest page a caller may ask for.</summary>
    public const int MaxPage = 100;

    public static string RowKey(Notice notice) =>
        $"{DateTimeOffset.MaxValue.UtcTicks - notice.CreatedAt.UtcTicks:D19}_{notice.Id}";

    /// <summary>Writes the notices, one transaction per recipient.</summary>
    public async Task DeliverAsync(IEnumerable<Notice> notices, CancellationToken cancellationToken = default)
    {
        foreach (var recipient in notices.GroupBy(n => n.RecipientId))
        {
            foreach (var chunk in recipient.Chunk(100))
            {
                var actions = chunk.Select(n =>
                {
                    var row = new TableEntity(n.RecipientId, RowKey(n)) { ["NoticeId"] = n.Id, ["CaseId"] = n.CaseId, ["EscalationId"] = n.EscalationId };
                    LargeText.Write(row, "Notice", JsonSerializer.Serialize(n, CoreJson.Options));
                    // Merge, not replace: a notice delivered again (a retried publication) keeps its ReadAt.
                    return new TableTransactionAction(TableTransactionActionType.UpsertMerge, row);
                }).ToList();
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The recipient's newest notices, at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<Notice>> ListAsync(string recipientId, int take, CancellationToken cancellationToken = default) =>
        [.. (await PageAsync(recipientId, null, take, cancellationToken).ConfigureAwait(false)).Items.Select(i => i.Notice)];

    /// <summary>
    /// One page of the recipient's notices, newest first, with whether each was read: <paramref name="continuation"/> is the
    /// <see cref="InboxSlice.ContinuationToken"/> of the page before (the RowKey to start after: the table's own token is not needed for
    /// one partition read in key order).
    /// </summary>
    /// <param name="escalationsOnly">Only an escalation's notices (its levels and its resolution): rows with an <c>EscalationId</c>,
    /// which storage filters (a row without the property never matches a comparison). Rows delivered before the column was written
    /// have none and are left out.</param>
    public async Task<InboxSlice> PageAsync(
        string recipientId, string? continuation, int take, CancellationToken cancellationToken = default, bool escalationsOnly = false)
    {
        take = Math.Clamp(take, 1, MaxPage);
        var filter = continuation is { Length: > 0 } after && IsRowKey(after)
            ? TableClient.CreateQueryFilter($"PartitionKey eq {recipientId} and RowKey gt {after}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {recipientId}");
        if (escalationsOnly)
        {
            filter += " and " + TableClient.CreateQueryFilter($"EscalationId ge {""}");
        }

        var items = new List<InboxItem>();
        string? last = null;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: take + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (items.Count == take)
            {
                return new InboxSlice(items, last);
            }

            var notice = JsonSerializer.Deserialize<Notice>(LargeText.Read(row, "Notice"), CoreJson.Options)!;
            items.Add(new InboxItem(row.RowKey, notice, row.GetDateTimeOffset("ReadAt"), row.GetString("ReadBy")));
            last = row.RowKey;
        }

        return new InboxSlice(items, null);
    }

    /// <summary>One notice of the recipient, by its row key; null when there is none.</summary>
    public async Task<InboxItem?> FindAsync(string recipientId, string rowKey, CancellationToken cancellationToken = default)
    {
        if (!IsRowKey(rowKey))
        {
            return null;
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(recipientId, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } r
            ? new InboxItem(r.RowKey, JsonSerializer.Deserialize<Notice>(LargeText.Read(r, "Notice"), CoreJson.Options)!, r.GetDateTimeOffset("ReadAt"), r.GetString("ReadBy"))
            : null;
    }

    /// <summary>
    /// Marks the recipient's notice <paramref name="item"/> (as <see cref="FindAsync"/> read it) read by <paramref name="by"/> at
    /// <paramref name="at"/>; a notice read before keeps its first reading (idempotent).
    /// </summary>
    public async Task MarkReadAsync(string recipientId, InboxItem item, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (item.ReadAt is null)
        {
            await _table.UpdateEntityAsync(new TableEntity(recipientId, item.Key) { ["ReadAt"] = at, ["ReadBy"] = by }, ETag.All, TableUpdateMode.Merge, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Marks read every notice of the recipient about the escalation (its levels and its resolution), once the recipient marked the
    /// escalation read in its case: one filtered query of the recipient's partition.
    /// </summary>
    public async Task MarkEscalationReadAsync(string recipientId, string escalationId, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {recipientId} and EscalationId eq {escalationId}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", "ReadAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetDateTimeOffset("ReadAt") is null)
            {
                await _table.UpdateEntityAsync(new TableEntity(recipientId, row.RowKey) { ["ReadAt"] = at, ["ReadBy"] = by }, ETag.All, TableUpdateMode.Merge, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether <paramref name="value"/> has the shape of this table's row keys (19 digits, <c>_</c>, a notice id), so that a
    /// forged token or form value never reaches a query.</summary>
    public static bool IsRowKey(string value) =>
        value.Length is > 20 and <= 400 && value[19] == '_' && value.AsSpan(0, 19).IndexOfAnyExceptInRange('0', '9') < 0
        && value.AsSpan(20).IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") < 0;
}

/// <summary>A notice as its recipient sees it: read or not, and by whom.</summary>
/// <param name="Key">Its row key: what a 已阅 form names.</param>
public sealed record InboxItem(string Key, Notice Notice, DateTimeOffset? ReadAt, string? ReadBy);

/// <summary>A page of an inbox; <see cref="ContinuationToken"/> is null on the last.</summary>
public sealed record InboxSlice(IReadOnlyList<InboxItem> Items, string? ContinuationToken);
