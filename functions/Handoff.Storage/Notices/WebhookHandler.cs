using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;

namespace Handoff.Storage.Notices;

/// <summary>
/// Delivers a notice to its recipient's webhook: <c>POST</c> of the notice JSON with <c>X-Handoff-Delivery: {notice id}</c> and
/// <c>X-Handoff-Signature: sha256={hex HMAC-SHA256 of the body with the organisation's secret}</c>. Anything but a 2xx answer is a
/// failure: the pump retries with exponential back-off and dead-letters to <c>handoff-webhooks-poison</c> after
/// <see cref="MaxFailures"/> attempts. A redelivery carries the same notice id.
/// </summary>
public sealed class WebhookHandler(HttpClient http, OrganisationDirectory directory, IReadOnlyDictionary<string, string> secrets) : IQueueHandler
{
    public const string DeliveryHeader = "X-Handoff-Delivery";
    public const string SignatureHeader = "X-Handoff-Signature";

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
        if (secrets.TryGetValue(organisation.Id, out var secret))
        {
            request.Headers.Add(SignatureHeader, Sign(body, secret));
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Webhook of {organisation.Id} answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        return Disposition.Done;
    }

    /// <summary><c>sha256=</c> and the lowercase hex HMAC-SHA256 of <paramref name="body"/>.</summary>
    public static string Sign(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
