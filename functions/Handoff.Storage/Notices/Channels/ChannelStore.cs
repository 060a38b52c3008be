using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Handoff.Core.Notices;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Notices.Channels;

/// <summary>
/// The Channels table: one partition per channel (<see cref="ChannelTarget.Key"/>, <c>{platform}-{organisationId}</c>), holding
/// <list type="bullet">
/// <item><c>state</c>: the channel's sends in the last minute (its rate window), its claim while a message is on its way, when it may
/// send again after a throttle or a failure, and its counts and last error (what the page and <c>/healthz</c> show);</item>
/// <item><c>n-{noticeId}</c>: one row per notice routed to the channel — the record that makes a notice go at most once, however often
/// it is dispatched again: <see cref="EnqueueAsync"/> inserts it, and a second insert of the same id fails;</item>
/// <item><c>p-{queued ticks}-{noticeId}</c>: the notices still to send, oldest first (a range read, never a scan of what was sent).</item>
/// </list>
/// Every change that sends or settles notices is one batch transaction of the partition, conditional on the state row's ETag: two
/// senders can never both hold a channel, and a notice's status, its pending row and the channel's counts change together.
/// </summary>
public sealed class ChannelStore(StorageClients clients)
{
    public const string StateRow = "state";

    private readonly TableClient _table = clients.Table(StorageNames.ChannelsTable);

    public static string NoticeRow(string noticeId) => "n-" + noticeId;

    public static string PendingRow(DateTimeOffset queuedAt, string noticeId) => $"p-{queuedAt.UtcTicks:D19}-{noticeId}";

    /// <summary>The notice id in a pending row's key (<c>p-{19 digits}-{noticeId}</c>).</summary>
    public static string NoticeIdOf(string pendingRow) => pendingRow[22..];

    /// <summary>The most notices one settlement carries (2 rows each and the state: within a transaction's 100).</summary>
    public const int MaxSettle = 49;

    /// <summary>
    /// Queues <paramref name="notice"/> for the channel <paramref name="key"/>: its record and its pending row in one transaction.
    /// False when the notice was queued before (sent or not): nothing changes, so a notice dispatched again is never sent twice.
    /// </summary>
    public async Task<bool> EnqueueAsync(string key, Notice notice, DateTimeOffset queuedAt, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(notice, CoreJson.Options);
        var pendingKey = PendingRow(queuedAt, notice.Id);
        var record = new TableEntity(key, NoticeRow(notice.Id))
        {
            ["Status"] = ChannelNoticeStatus.Pending, ["QueuedAt"] = queuedAt, ["Kind"] = notice.Kind.ToString(),
        };
        var pending = new TableEntity(key, pendingKey) { ["NoticeId"] = notice.Id, ["QueuedAt"] = queuedAt };
        LargeText.Write(pending, "Notice", json);
        try
        {
            await _table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, record), new TableTransactionAction(TableTransactionActionType.Add, pending)],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>The channel's state and its ETag; a channel that never sent has a fresh state and no ETag (its first write inserts).</summary>
    public async Task<(ChannelState State, ETag? ETag)> ReadStateAsync(string key, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(key, StateRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? (ChannelState.From(row.Value!), row.Value!.ETag) : (new ChannelState(), null);
    }

    /// <summary>Up to <paramref name="take"/> notices waiting, oldest first.</summary>
    public async Task<IReadOnlyList<PendingNotice>> PendingAsync(string key, int take, CancellationToken cancellationToken = default)
    {
        var result = new List<PendingNotice>();
        var filter = PendingFilter(key);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: take, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var notice = JsonSerializer.Deserialize<Notice>(LargeText.Read(row, "Notice") ?? "{}", CoreJson.Options)!;
            result.Add(new PendingNotice(row.RowKey, notice, row.GetDateTimeOffset("QueuedAt") ?? default));
            if (result.Count >= take)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>The channel's pending rows: the <c>p-</c> range of its partition.</summary>
    private static string PendingFilter(string key) => TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey ge {"p-"} and RowKey lt {"p."}");

    /// <summary>How many notices wait (counted up to <paramref name="cap"/>).</summary>
    public async Task<int> PendingCountAsync(string key, int cap, CancellationToken cancellationToken = default)
    {
        var count = 0;
        var filter = PendingFilter(key);
        await foreach (var _ in _table.QueryAsync<TableEntity>(filter, maxPerPage: cap, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (++count >= cap)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>A notice's record in the channel (its status), or null if it was never routed there.</summary>
    public async Task<ChannelNoticeRecord?> FindAsync(string key, string noticeId, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(key, NoticeRow(noticeId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ChannelNoticeRecord.From(row.Value!) : null;
    }

    /// <summary>Writes the state if it is still as read (<paramref name="etag"/>; none: only if it does not exist). False if it changed.</summary>
    public async Task<ETag?> TryWriteStateAsync(string key, ChannelState state, ETag? etag, CancellationToken cancellationToken = default)
    {
        try
        {
            var row = state.ToEntity(key);
            var response = etag is { } e
                ? await _table.UpdateEntityAsync(row, e, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>
    /// Settles <paramref name="notices"/> with <paramref name="status"/> (sent, gave-up, uncertain) and writes <paramref name="state"/>,
    /// in one transaction conditional on <paramref name="etag"/>: their pending rows go, their records say what happened. False when the
    /// state changed since it was read (nothing is written; read it again and retry).
    /// </summary>
    /// <remarks>At most <see cref="MaxSettle"/> notices: a transaction takes 100 operations, two per notice and the state.</remarks>
    public async Task<bool> SettleAsync(
        string key, ChannelState state, ETag etag, IReadOnlyList<string> pendingRows, string status, DateTimeOffset at, string attempt, string? error,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pendingRows.Count, MaxSettle);
        var actions = new List<TableTransactionAction>(pendingRows.Count * 2 + 1) { new(TableTransactionActionType.UpdateReplace, state.ToEntity(key), etag) };
        foreach (var row in pendingRows)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(key, row), ETag.All));
            // Merged: the record keeps when it was queued and its kind.
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity(key, NoticeRow(NoticeIdOf(row)))
            {
                ["Status"] = status, ["SettledAt"] = at, ["Attempt"] = attempt, ["Error"] = error,
            }));
        }

        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 412)
        {
            return false;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && e.FailedTransactionActionIndex is > 0)
        {
            // A pending row is gone: someone settled these notices already. Nothing of ours is written; the caller reads again.
            return false;
        }
    }

    /// <summary>The states of <paramref name="keys"/> (point reads; a channel that never had a notice has none), for <c>/healthz</c>.</summary>
    public async Task<IReadOnlyList<(string Key, ChannelState State)>> StatesAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        var result = new List<(string, ChannelState)>();
        foreach (var key in keys)
        {
            var (state, etag) = await ReadStateAsync(key, cancellationToken).ConfigureAwait(false);
            if (etag is not null)
            {
                result.Add((key, state));
            }
        }

        return result;
    }
}

/// <summary>A notice waiting in a channel: its pending row key, the notice, and when it was queued (real time).</summary>
public sealed record PendingNotice(string RowKey, Notice Notice, DateTimeOffset QueuedAt);

/// <summary>What became of a notice in one channel.</summary>
public static class ChannelNoticeStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string GaveUp = "gave-up";
    public const string Uncertain = "uncertain";
}

public sealed record ChannelNoticeRecord(string NoticeId, string Status, DateTimeOffset? QueuedAt, DateTimeOffset? SettledAt, string? Attempt, string? Error)
{
    internal static ChannelNoticeRecord From(TableEntity row) => new(
        row.RowKey[2..], row.GetString("Status") ?? ChannelNoticeStatus.Pending, row.GetDateTimeOffset("QueuedAt"), row.GetDateTimeOffset("SettledAt"),
        row.GetString("Attempt"), row.GetString("Error"));
}

/// <summary>
/// One channel's state row. Instants are real time (UTC).
/// </summary>
/// <param name="Window">When its messages of the last minute or so were sent: the rate limit's memory.</param>
/// <param name="Claim">The message on its way, if any: claimed before it is sent, settled after the answer (<see cref="ChannelClaim"/>).</param>
/// <param name="NotBefore">When the channel may send again after a throttle or a transient failure.</param>
/// <param name="WakeAt">The earliest wake-up message already queued for it, so that a burst does not queue one per notice.</param>
/// <param name="Failures">Failed attempts in a row (cleared by a message sent).</param>
/// <param name="Failing">Its last attempt failed, or it gave up: shown to operators until a message goes through.</param>
public sealed record ChannelState(
    IReadOnlyList<DateTimeOffset> Window,
    ChannelClaim? Claim,
    DateTimeOffset? NotBefore,
    DateTimeOffset? WakeAt,
    long Sent,
    long Messages,
    long GaveUp,
    long Uncertain,
    int Failures,
    bool Failing,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastSentAt)
{
    public ChannelState()
        : this([], null, null, null, 0, 0, 0, 0, 0, false, null, null, null)
    {
    }

    internal TableEntity ToEntity(string key) => new(key, ChannelStore.StateRow)
    {
        ["Window"] = string.Join(",", Window.Select(w => w.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))),
        ["Claim"] = Claim is null ? null : JsonSerializer.Serialize(Claim, CoreJson.Options),
        ["NotBefore"] = NotBefore,
        ["WakeAt"] = WakeAt,
        ["Sent"] = Sent,
        ["Messages"] = Messages,
        ["GaveUp"] = GaveUp,
        ["Uncertain"] = Uncertain,
        ["Failures"] = Failures,
        ["Failing"] = Failing,
        ["LastError"] = LastError,
        ["LastErrorAt"] = LastErrorAt,
        ["LastSentAt"] = LastSentAt,
    };

    internal static ChannelState From(TableEntity row) => new(
        (row.GetString("Window") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(s, CultureInfo.InvariantCulture))).ToList(),
        row.GetString("Claim") is { Length: > 0 } claim ? JsonSerializer.Deserialize<ChannelClaim>(claim, CoreJson.Options) : null,
        row.GetDateTimeOffset("NotBefore"),
        row.GetDateTimeOffset("WakeAt"),
        row.GetInt64("Sent") ?? 0,
        row.GetInt64("Messages") ?? 0,
        row.GetInt64("GaveUp") ?? 0,
        row.GetInt64("Uncertain") ?? 0,
        row.GetInt32("Failures") ?? 0,
        row.GetBoolean("Failing") ?? false,
        row.GetString("LastError"),
        row.GetDateTimeOffset("LastErrorAt"),
        row.GetDateTimeOffset("LastSentAt"));
}

/// <summary>A message on its way: its attempt id, the notices it carries (their pending rows) and when it was claimed.</summary>
public sealed record ChannelClaim(string Attempt, IReadOnlyList<string> PendingRows, DateTimeOffset At);
