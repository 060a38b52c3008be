using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Handoff.Core.Notices.Channels;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;
using Microsoft.Extensions.Logging;
using LogMessages = Handoff.Storage.Infrastructure.Log;

namespace Handoff.Storage.Notices.Channels;

/// <summary>
/// Sends what waits for one channel when its wake-up message (<c>{"channel":"…"}</c> on <see cref="StorageNames.ChannelQueue"/>)
/// arrives; the same code under the Function App's queue trigger and the self-host's pump. Each message goes in four steps:
/// <list type="number">
/// <item>read the channel's state and its oldest waiting notices; if another sender holds the channel, or its rate window is full, or
/// it was throttled, queue a wake-up for when it may send and stop;</item>
/// <item>compose one message — the notice alone, or a digest of as many as fit — and <b>claim</b> it: the state row records the attempt,
/// the notices and the send time (an ETag-conditional write, so only one sender per channel, in any number of processes);</item>
/// <item>send it;</item>
/// <item>settle: one transaction marks the notices sent (or given up, or uncertain), removes them from the waiting rows and clears the
/// claim.</item>
/// </list>
/// A sender that dies between 2 and 4 leaves its claim; the next sender, once the claim is <see cref="ChannelDeliveryOptions.ClaimTimeout"/>
/// old, marks those notices <i>uncertain</i> and reports them (log 1051) instead of sending them again: a robot takes no idempotency
/// key, so a repeat would put the same notice in the group twice. Everything this handler does is idempotent; it never returns a
/// delay to the pump but queues its own wake-ups, so both hosts behave alike.
/// </summary>
public sealed class ChannelHandler(
    ChannelStore store, ChannelDirectory channels, ChannelSender sender, StorageClients clients, TimeProvider time, ILogger<ChannelHandler> logger,
    ChannelDeliveryOptions? options = null, HandoffTelemetry? telemetry = null)
    : IQueueHandler
{
    /// <summary>Messages one wake-up sends at most before it queues the next (so one busy channel does not hold a worker).</summary>
    public const int MessagesPerWake = 10;

    private const int PendingRead = 100;

    private readonly ChannelDeliveryOptions _options = options ?? new ChannelDeliveryOptions();
    private readonly QueueClient _queue = clients.Queue(StorageNames.ChannelQueue);

    public string Queue => StorageNames.ChannelQueue;

    public int MaxFailures => 8;

    /// <summary>
    /// Kept: a wake-up deleted after failures (a storage outage) would leave its channel's notices waiting until the next notice came.
    /// </summary>
    public bool KeepsFailingMessages => true;

    public bool IsPermanent(Exception error) => error is JsonException;

    /// <summary>The wake-up message for a channel.</summary>
    public static string WakeMessage(string channelKey) => new JsonObject { ["channel"] = channelKey }.ToJsonString();

    /// <summary>Queues a wake-up for <paramref name="channelKey"/> after <paramref name="delay"/> (real time).</summary>
    public Task WakeAsync(string channelKey, TimeSpan delay, CancellationToken cancellationToken) => WakeAsync(_queue, channelKey, delay, cancellationToken);

    /// <summary>Queues a wake-up on <paramref name="queue"/> (<see cref="StorageNames.ChannelQueue"/>): the dispatcher's and the handler's one way.</summary>
    public static Task WakeAsync(QueueClient queue, string channelKey, TimeSpan delay, CancellationToken cancellationToken) =>
        queue.SendMessageAsync(WakeMessage(channelKey), visibilityTimeout: Clamp(delay), cancellationToken: cancellationToken);

    public async Task<Disposition> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var key = (JsonNode.Parse(message.Body.ToString())?["channel"] as JsonValue)?.TryGetValue<string>(out var k) == true ? k
            : throw new JsonException("A channel wake-up without a channel.");
        if (channels.Find(key) is not { } target)
        {
            // Removed from the settings, or its secret unreadable on this instance: its notices stay waiting, and the sweep on an
            // instance that has the channel wakes it again.
            LogMessages.ChannelUnknown(logger, key);
            return Disposition.Done;
        }

        await RunAsync(target, cancellationToken).ConfigureAwait(false);
        return Disposition.Done;
    }

    /// <summary>
    /// Wakes every configured channel that has notices waiting but no wake-up coming (one lost to the host's poison queue after a
    /// storage outage, or taken by an instance that could not read the channel's secret): the reconciler's timer calls this every
    /// <see cref="ChannelDeliveryOptions.SweepInterval"/>. Returns the channels woken.
    /// </summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var woken = new List<string>();
        foreach (var target in channels.All)
        {
            var (state, etag) = await store.ReadStateAsync(target.Key, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if ((state.Claim is { } claim && now - claim.At < _options.ClaimTimeout) || (state.WakeAt is { } wake && wake > now - _options.SweepInterval))
            {
                continue; // on its way, or a wake-up queued or run lately
            }

            if (await store.PendingCountAsync(target.Key, 1, cancellationToken).ConfigureAwait(false) > 0)
            {
                await WakeAsync(target.Key, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                await store.TryWriteStateAsync(target.Key, state with { WakeAt = now }, etag, cancellationToken).ConfigureAwait(false);
                woken.Add(target.Key);
            }
        }

        return woken;
    }

    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>
    /// <see cref="SweepAsync"/> if <see cref="ChannelDeliveryOptions.SweepInterval"/> has passed since this process last swept: the
    /// reconciler's minute timer calls it (the Function App's timer trigger, the self-host's loop). A failure is logged by the caller.
    /// </summary>
    public async Task SweepIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (channels.All.Count == 0 || now - _lastSweep < _options.SweepInterval)
        {
            return;
        }

        _lastSweep = now;
        await SweepAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends what the channel's rate allows now (up to <see cref="MessagesPerWake"/> messages), and queues a wake-up for the rest.</summary>
    /// <param name="cancellationToken">Stops reading; a message once claimed is sent and settled regardless (bounded by
    /// <see cref="ChannelDeliveryOptions.SendTimeout"/>), so that a host stopping for a deployment does not leave notices uncertain.</param>
    public async Task RunAsync(ChannelTarget target, CancellationToken cancellationToken)
    {
        var key = target.Key;
        for (var sentMessages = 0; ;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (state, etag) = await store.ReadStateAsync(key, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (state.Claim is { } claim)
            {
                if (now - claim.At < _options.ClaimTimeout)
                {
                    await ScheduleAsync(key, state, etag, claim.At + _options.ClaimTimeout, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await SettleAbandonedAsync(target, state, etag!.Value, claim, now, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var pending = await store.PendingAsync(key, PendingRead, cancellationToken).ConfigureAwait(false);
            if (pending.Count == 0)
            {
                return;
            }

            if (state.Failing && pending.Where(p => now - p.QueuedAt > _options.GiveUpAfter).Take(RobotMessages.MaxDigest).ToList() is { Count: > 0 } stale)
            {
                // The channel is failing and these have waited longer than GiveUpAfter: given up and reported (they are in the inbox).
                var rows = stale.Select(p => p.RowKey).ToList();
                if (await SettleAsync(key, state, etag!.Value, rows, ChannelNoticeStatus.GaveUp, now, "expired", state.LastError,
                        s => s with { GaveUp = s.GaveUp + rows.Count }, cancellationToken, claimAttempt: null).ConfigureAwait(false))
                {
                    LogMessages.ChannelGaveUp(logger, key, rows.Count, $"失败已超过{_options.GiveUpAfter.TotalHours:0.#}小时：{state.LastError}");
                    telemetry?.Channel(target.Platform, "gave-up", rows.Count);
                }

                continue;
            }

            var allowed = Later(state.NotBefore ?? now, target.Limits.NextAllowed(state.Window, now));
            if (allowed > now || sentMessages >= MessagesPerWake)
            {
                await ScheduleAsync(key, state, etag, allowed > now ? allowed : now, cancellationToken).ConfigureAwait(false);
                return;
            }

            // While the channel fails, one notice at a time: a silent robot costs one notice's certainty per try, not a digest's.
            var candidates = state.Failing ? pending.Take(1).ToList() : pending;
            var message = sender.Compose(target, [.. candidates.Select(p => p.Notice)]);
            var carried = candidates.Take(message.Count).ToList();
            var attempt = Guid.NewGuid().ToString("N");
            var claimed = state with
            {
                Claim = new ChannelClaim(attempt, [.. carried.Select(c => c.RowKey)], now),
                Window = [.. state.Window.Where(w => w > now - TimeSpan.FromMinutes(2)), now],
            };
            if (await store.TryWriteStateAsync(key, claimed, etag, cancellationToken).ConfigureAwait(false) is not { } claimedTag)
            {
                continue; // Someone else changed the state since we read it: read again.
            }

            // Claimed: send and record whatever the host does meanwhile (each step is bounded by the send timeout and storage's own).
            var outcome = await sender.SendAsync(target, message, [.. carried.Select(c => c.Notice)], attempt, CancellationToken.None).ConfigureAwait(false);
            sentMessages++;
            await RecordAsync(target, claimed, claimedTag, carried, attempt, outcome, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RecordAsync(
        ChannelTarget target, ChannelState claimed, ETag etag, IReadOnlyList<PendingNotice> carried, string attempt, ChannelOutcome outcome, CancellationToken cancellationToken)
    {
        var key = target.Key;
        var at = time.GetUtcNow();
        var rows = carried.Select(c => c.RowKey).ToList();
        var count = rows.Count;
        var backoff = TimeSpan.FromTicks((long)Math.Min(_options.MaxBackoff.Ticks, _options.BackoffBase.Ticks * Math.Pow(2, Math.Min(claimed.Failures, 20))));
        switch (outcome.Kind)
        {
            case ChannelOutcomeKind.Sent:
                await SettleAsync(key, claimed, etag, rows, ChannelNoticeStatus.Sent, at, attempt, null,
                    s => s with { Sent = s.Sent + count, Messages = s.Messages + 1, Failures = 0, Failing = false, NotBefore = null, LastSentAt = at },
                    cancellationToken, attempt).ConfigureAwait(false);
                LogMessages.ChannelSent(logger, key, count);
                telemetry?.Channel(target.Platform, "sent", count);
                break;
            case ChannelOutcomeKind.Permanent:
                await SettleAsync(key, claimed, etag, rows, ChannelNoticeStatus.GaveUp, at, attempt, outcome.Error,
                    s => s with { GaveUp = s.GaveUp + count, Failures = s.Failures + 1, Failing = true, LastError = outcome.Error, LastErrorAt = at },
                    cancellationToken, attempt).ConfigureAwait(false);
                LogMessages.ChannelGaveUp(logger, key, count, outcome.Error ?? "");
                telemetry?.Channel(target.Platform, "gave-up", count);
                break;
            case ChannelOutcomeKind.Uncertain:
                // Not sent again; and the channel pauses as after a failure, so that the rest do not go into the same silence.
                await SettleAsync(key, claimed, etag, rows, ChannelNoticeStatus.Uncertain, at, attempt, outcome.Error,
                    s => s with
                    {
                        Uncertain = s.Uncertain + count, Failures = s.Failures + 1, Failing = true, LastError = outcome.Error, LastErrorAt = at,
                        NotBefore = at + backoff,
                    },
                    cancellationToken, attempt).ConfigureAwait(false);
                LogMessages.ChannelUncertain(logger, key, count, outcome.Error ?? "");
                telemetry?.Channel(target.Platform, "uncertain", count);
                break;
            default:
                // Throttled or a transient failure: nothing was sent; the notices wait, the channel pauses.
                var wait = outcome.Kind == ChannelOutcomeKind.RateLimited
                    ? Min(outcome.RetryAfter ?? TimeSpan.FromMinutes(1), TimeSpan.FromHours(1))
                    : backoff;
                var notBefore = at + wait;
                await SettleAsync(key, claimed, etag, [], ChannelNoticeStatus.Pending, at, attempt, null,
                    s => s with
                    {
                        NotBefore = notBefore, Failures = s.Failures + 1, LastError = outcome.Error, LastErrorAt = at,
                        Failing = s.Failing || outcome.Kind == ChannelOutcomeKind.Transient,
                    },
                    cancellationToken, attempt).ConfigureAwait(false);
                LogMessages.ChannelRetrying(logger, key, outcome.Kind.ToString(), outcome.Error ?? "", notBefore);
                telemetry?.Channel(target.Platform, outcome.Kind == ChannelOutcomeKind.RateLimited ? "throttled" : "retrying", count);
                break;
        }
    }

    /// <summary>
    /// A claim older than the timeout: its sender died between sending and recording. Its notices — found by the claim's own row
    /// keys — are uncertain, never resent.
    /// </summary>
    private async Task SettleAbandonedAsync(ChannelTarget target, ChannelState state, ETag etag, ChannelClaim claim, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = target.Key;
        // The claim's own rows: they are still there, since whoever settled them would have cleared the claim in the same transaction.
        var rows = claim.PendingRows;
        const string error = "发送过程中断（进程停止），未能确认是否送达；为免重复不再重发";
        if (await SettleAsync(key, state, etag, rows, ChannelNoticeStatus.Uncertain, now, claim.Attempt, error,
                s => s with { Uncertain = s.Uncertain + rows.Count, Failing = true, LastError = error, LastErrorAt = now }, cancellationToken, claim.Attempt).ConfigureAwait(false))
        {
            LogMessages.ChannelUncertain(logger, key, rows.Count, error);
            telemetry?.Channel(target.Platform, "uncertain", rows.Count);
        }
    }

    /// <summary>
    /// Settles the pending rows <paramref name="rows"/> and applies <paramref name="change"/> to the state, clearing the claim. When the
    /// state changed meanwhile (a wake-up noted), reads it again and re-applies the change — only while the claim is still
    /// <paramref name="claimAttempt"/> (or, for notices given up without a claim, while no one holds the channel). False when someone
    /// else settled or took the channel: nothing of ours was written.
    /// </summary>
    private async Task<bool> SettleAsync(
        string key, ChannelState state, ETag etag, IReadOnlyList<string> rows, string status, DateTimeOffset at, string attempt, string? error,
        Func<ChannelState, ChannelState> change, CancellationToken cancellationToken, string? claimAttempt)
    {
        for (var tries = 0; tries < 10; tries++)
        {
            var next = change(state) with { Claim = null };
            if (await store.SettleAsync(key, next, etag, rows, status, at, attempt, error, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            var (fresh, freshTag) = await store.ReadStateAsync(key, cancellationToken).ConfigureAwait(false);
            if (freshTag is null || fresh.Claim?.Attempt != claimAttempt)
            {
                return false; // Another sender settled this claim (ours had expired), or holds the channel now: nothing of ours to record.
            }

            (state, etag) = (fresh, freshTag.Value);
        }

        throw new InvalidOperationException($"Channel {key}: the state kept changing while settling attempt {attempt}.");
    }

    /// <summary>
    /// Makes sure a wake-up comes at <paramref name="at"/>: none is queued when one is already queued no later — the state's
    /// <c>WakeAt</c>, if it is more than <see cref="WakeSlack"/> ahead (a wake-up due about now may be the one being handled, and
    /// machines' clocks differ) —, so a burst of notices to one channel keeps one wake-up waiting, not one per notice.
    /// </summary>
    private async Task ScheduleAsync(string key, ChannelState state, ETag? etag, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var delay = Clamp(at - now);
        var due = now + delay;
        if (state.WakeAt is { } queued && queued > now + WakeSlack && queued <= due)
        {
            return;
        }

        // The message first, then the note: a crash between them costs a spare wake-up, never a missing one.
        await WakeAsync(key, delay, cancellationToken).ConfigureAwait(false);
        await store.TryWriteStateAsync(key, state with { WakeAt = due }, etag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How far ahead a noted wake-up must be to stand for one still queued: more than clocks differ and delays are rounded.</summary>
    public static readonly TimeSpan WakeSlack = TimeSpan.FromSeconds(5);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Clamp(TimeSpan delay) =>
        delay < TimeSpan.Zero ? TimeSpan.Zero : delay > TimeSpan.FromDays(6) ? TimeSpan.FromDays(6) : TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
}
