using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Handoff.Storage.Infrastructure;
using Microsoft.Extensions.Logging;
using LogMessages = Handoff.Storage.Infrastructure.Log;

namespace Handoff.Storage.Queues;

/// <summary>
/// Polls one queue and runs its handler: at-least-once, with a lease (visibility timeout) while a message is handled.
/// A failure is counted in the message itself (<c>failures</c>, so a timer that fires many times is not mistaken for a failing one)
/// and retried with exponential back-off; at <see cref="IQueueHandler.MaxFailures"/> the message is reported to the poison queue
/// with its error, and moved there unless its handler keeps failing messages (a live timer must not be lost to an outage).
/// A permanent error (a malformed message) moves it at once.
/// </summary>
public sealed class QueuePump(
    StorageClients clients, IQueueHandler handler, TimeProvider clock, QueueHealth health, ILogger<QueuePump> logger, QueuePumpOptions? options = null)
{
    private readonly QueuePumpOptions _options = options ?? new QueuePumpOptions();
    private readonly QueueClient _queue = clients.Queue(handler.Queue);
    private readonly QueueClient _poison = clients.Queue(StorageNames.Poison(handler.Queue));

    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(20);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = await PollOnceAsync(stoppingToken).ConfigureAwait(false);
                idle = handled > 0 ? TimeSpan.FromMilliseconds(20) : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxIdleDelay.Ticks));
                if (handled == 0)
                {
                    await Task.Delay(idle, clock, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogMessages.PollFailed(logger, ex, handler.Queue);
                health.Failed(handler.Queue, ex.Message, clock.GetUtcNow());
                await Task.Delay(TimeSpan.FromSeconds(1), clock, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Receives up to a batch of visible messages and handles them concurrently. Returns how many it handled.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var messages = (await _queue.ReceiveMessagesAsync(_options.BatchSize, _options.Lease, cancellationToken).ConfigureAwait(false)).Value;
        await Task.WhenAll(messages.Select(m => HandleAsync(m, cancellationToken))).ConfigureAwait(false);
        return messages.Length;
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        Disposition disposition;
        try
        {
            disposition = await handler.HandleAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await FailAsync(message, ex, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            switch (disposition)
            {
                case Disposition.Complete:
                    await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                    break;
                case Disposition.WakeAfter wake:
                    await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, WithFailures(message.Body.ToString(), 0),
                        wake.Delay, cancellationToken).ConfigureAwait(false);
                    break;
                case Disposition.Retry retry:
                    await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: retry.Delay,
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
            }

            health.Processed(handler.Queue);
        }
        catch (RequestFailedException ex) when (LostLease(ex))
        {
            // The lease ran out and someone else has the message now (or deleted it): it will be handled again, harmlessly.
        }
    }

    private async Task FailAsync(QueueMessage message, Exception error, CancellationToken cancellationToken)
    {
        var body = message.Body.ToString();
        var failures = ReadFailures(body) + 1;
        var permanent = handler.IsPermanent(error);
        if (permanent || failures == handler.MaxFailures)
        {
            // Report it: a copy with its error goes to the poison queue, where /healthz and operators see it.
            var poison = PoisonReport(handler.Queue, message.MessageId, failures, error, clock.GetUtcNow(), kept: !permanent && handler.KeepsFailingMessages, body);
            await _poison.SendMessageAsync(poison, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken).ConfigureAwait(false);
            health.Poisoned(handler.Queue, error.Message, clock.GetUtcNow());
            LogMessages.Poisoned(logger, handler.Queue, message.MessageId, failures, _poison.Name, error.Message);
        }

        if (permanent || (failures >= handler.MaxFailures && !handler.KeepsFailingMessages))
        {
            try
            {
                await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (LostLease(ex))
            {
            }

            return;
        }

        var delay = TimeSpan.FromTicks((long)Math.Min(_options.MaxBackoff.Ticks, _options.BackoffBase.Ticks * Math.Pow(2, Math.Min(failures - 1, 30))));
        LogMessages.HandlerFailed(logger, error, handler.Queue, message.MessageId, failures, delay);
        health.Failed(handler.Queue, error.Message, clock.GetUtcNow());
        try
        {
            await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, WithFailures(body, failures), delay, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (LostLease(ex))
        {
        }
    }

    /// <summary>What goes to a poison queue: the failed message's body with its error, so operators see why.</summary>
    public static string PoisonReport(string queue, string messageId, long failures, Exception error, DateTimeOffset failedAt, bool kept, string body) =>
        new JsonObject
        {
            ["queue"] = queue,
            ["messageId"] = messageId,
            ["failures"] = failures,
            ["error"] = $"{error.GetType().Name}: {error.Message}",
            ["failedAt"] = failedAt,
            ["kept"] = kept,
            ["body"] = body,
        }.ToJsonString();

    /// <summary>The message is gone (404) or received again by someone else since (400 PopReceiptMismatch).</summary>
    private static bool LostLease(RequestFailedException ex) =>
        ex.Status == (int)HttpStatusCode.NotFound || ex.ErrorCode == "PopReceiptMismatch";

    /// <summary>The failure count a message carries (0 when none, or when the body is not a JSON object).</summary>
    public static int ReadFailures(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject o && o["failures"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }

    /// <summary>The message body with its failure count set (0 removes it); a body that is not a JSON object is returned as is.</summary>
    public static string WithFailures(string body, int failures)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject o)
            {
                if (failures == 0)
                {
                    o.Remove("failures");
                }
                else
                {
                    o["failures"] = failures;
                }

                return o.ToJsonString();
            }
        }
        catch (JsonException)
        {
        }

        return body;
    }
}
