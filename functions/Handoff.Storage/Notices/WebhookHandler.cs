using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Storage.Notices;

/// <summary>
/// Delivers a notice to its recipient's webhook: <c>POST</c> of the notice JSON with <c>X-Handoff-Delivery: {notice id}</c>,
/// <c>X-Handoff-Timestamp: {unix seconds}</c> and <c>X-Handoff-Signature: sha256={hex HMAC-SHA256 of "{timestamp}.{body}"}</c> keyed
/// with the organisation's secret. Signing the timestamp with the body lets the receiver refuse a captured delivery replayed later
/// (<see cref="Verify"/>, <see cref="ReplayWindow"/>). Redirects are not followed (the notice carries personal data and goes only
/// where the directory says): a 3xx, like anything but a 2xx, is a failure. The pump retries with exponential back-off and
/// dead-letters to <c>handoff-webhooks-poison</c> after <see cref="MaxFailures"/> attempts. A redelivery carries the same notice id.
/// </summary>
public sealed class WebhookHandler(
    IHttpClientFactory clients, OrganisationDirectory directory, IReadOnlyDictionary<string, string> secrets, TimeProvider time, HandoffTelemetry? telemetry = null)
    : IQueueHandler
{
    public const string ClientName = "handoff-webhooks";
    public const string DeliveryHeader = "X-Handoff-Delivery";
    public const string TimestampHeader = "X-Handoff-Timestamp";
    public const string SignatureHeader = "X-Handoff-Signature";

    /// <summary>How far a delivery's timestamp may be from the receiver's clock: 5 minutes either way.</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest pause between polls of an idle webhook queue, in both hosts (host.json <c>queues.maxPollingInterval</c>; the
    /// self-host's pump). A delivery waits at most this long; idle, the queue costs 60 / this requests a minute.
    /// </summary>
    public static readonly TimeSpan IdlePollingInterval = TimeSpan.FromSeconds(10);

    public string Queue => StorageNames.WebhookQueue;

    public int MaxFailures => 8;

    /// <summary>After 8 failed deliveries the notice is dead-lettered; it stays in the recipient's inbox regardless.</summary>
    public bool KeepsFailingMessages => false;

    public bool IsPermanent(Exception error) => error is JsonException;

    public async Task<Disposition> HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var delivery = JsonSerializer.Deserialize<WebhookDelivery>(message.Body.ToString(), CoreJson.Options)
            ?? throw new JsonException("Empty webhook delivery.");
        var organisation = directory.Find(delivery.Notice.RecipientId);
        if (organisation?.Webhook is null)
        {
            return Disposition.Done; // The webhook was removed from the directory since: nothing to deliver to.
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(delivery.Notice, CoreJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, organisation.Webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(DeliveryHeader, delivery.Notice.Id);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        request.Headers.Add(TimestampHeader, timestamp);
        if (secrets.TryGetValue(organisation.Id, out var secret))
        {
            request.Headers.Add(SignatureHeader, Sign(timestamp, body, secret));
        }

        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        telemetry?.Notices(response.IsSuccessStatusCode ? "webhook-delivered" : "webhook-failed");
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Webhook of {organisation.Id} answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        return Disposition.Done;
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <c>{timestamp}.{body}</c>.</summary>
    public static string Sign(string timestamp, byte[] body, string secret)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed, timestamp.Length + 1);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>
    /// What a receiver checks, over the exact bytes it received: the signature matches (in constant time) and the timestamp is within
    /// <see cref="ReplayWindow"/> of its own clock <paramref name="now"/>. A receiver also keeps the delivery ids it has seen for that
    /// window, so a replay inside it is dropped as a duplicate.
    /// </summary>
    public static bool Verify(byte[] body, string? timestamp, string? signature, string secret, DateTimeOffset now)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - sent).Duration() > ReplayWindow)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(timestamp, body, secret)), Encoding.ASCII.GetBytes(signature));
    }
}

/// <summary>The webhook deliveries' HTTP client: from <see cref="IHttpClientFactory"/>, 10 s timeout, no redirects.</summary>
public static class WebhookClient
{
    public static IHttpClientBuilder AddWebhookClient(this IServiceCollection services) =>
        services.AddHttpClient(WebhookHandler.ClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
}
