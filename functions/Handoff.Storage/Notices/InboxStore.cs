using System.Text.Json;
using Azure.Data.Tables;
using Handoff.Core.Notices;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Notices;

/// <summary>
/// The Inbox table: PartitionKey = recipient organisation, RowKey = <c>{inverted ticks}_{noticeId}</c> (newest first).
/// Both parts derive from the notice itself, so delivering a notice twice writes the same row: one notice per id, always.
/// </summary>
public sealed class InboxStore(StorageClients clients)
{
    private readonly TableClient _table = clients.Table(StorageNames.InboxTable);

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
                    var row = new TableEntity(n.RecipientId, RowKey(n)) { ["NoticeId"] = n.Id, ["CaseId"] = n.CaseId };
                    LargeText.Write(row, "Notice", JsonSerializer.Serialize(n, CoreJson.Options));
                    return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
                }).ToList();
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The recipient's newest notices, at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<Notice>> ListAsync(string recipientId, int take, CancellationToken cancellationToken = default)
    {
        var notices = new List<Notice>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {recipientId}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            notices.Add(JsonSerializer.Deserialize<Notice>(LargeText.Read(row, "Notice"), CoreJson.Options)!);
            if (notices.Count >= take)
            {
                break;
            }
        }

        return notices;
    }
}
