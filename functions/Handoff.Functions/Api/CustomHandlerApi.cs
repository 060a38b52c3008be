using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Queues.Models;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;

namespace Handoff.Functions.Api;

/// <summary>
/// The Azure Functions custom-handler protocol for the queue-triggered functions: the host POSTs
/// <c>{"Data": {"message": …}, "Metadata": {"Id", "PopReceipt", "DequeueCount", "InsertionTime", …}}</c> to <c>/{FunctionName}</c>;
/// we run the same handler the self-hosted pump runs and answer <c>{"Outputs": {}, "Logs": […], "ReturnValue": null}</c>.
/// 200 means done (the host deletes the message); 500 means not done (the host retries it, then moves it to <c>{queue}-poison</c>
/// after <c>maxDequeueCount</c>). Mapped only when the app runs under the Functions host.
/// </summary>
public static class CustomHandlerApi
{
    /// <summary>Set by the Functions host: the port the custom handler must listen on.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The queue-triggered functions (folder under <c>functions/</c>) and the queue each one consumes.</summary>
    public static readonly IReadOnlyDictionary<string, string> QueueFunctions = new Dictionary<string, string>
    {
        ["WakeUps"] = StorageNames.WakeUpQueue,
        ["Webhooks"] = StorageNames.WebhookQueue,
    };

    public sealed record InvocationRequest(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

    /// <summary>The response payload; the host expects these exact (Pascal-case) names, whatever the API's JSON naming.</summary>
    public sealed record InvocationResponse(
        [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
        [property: JsonPropertyName("Logs")] List<string> Logs,
        [property: JsonPropertyName("ReturnValue")] object? ReturnValue);

    public static IEndpointRouteBuilder MapCustomHandlerApi(this IEndpointRouteBuilder app)
    {
        foreach (var (function, queue) in QueueFunctions)
        {
            app.MapPost($"/{function}", (InvocationRequest request, IEnumerable<IQueueHandler> handlers, StorageClients clients, QueueClock clock, CancellationToken cancellationToken) =>
                    InvokeAsync(handlers.Single(h => h.Queue == queue), request, clients, clock, cancellationToken))
                .AllowAnonymous()
                .ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<IResult> InvokeAsync(
        IQueueHandler handler, InvocationRequest request, StorageClients clients, QueueClock clock, CancellationToken cancellationToken)
    {
        var logs = new List<string>();
        if (request.Data is null || !request.Data.TryGetValue("message", out var data))
        {
            logs.Add("The invocation has no Data.message (the queueTrigger binding is named \"message\").");
            return Answer(StatusCodes.Status500InternalServerError, logs);
        }

        // The host passes the message text as a JSON string; accept an object too, as its own JSON.
        var body = data.ValueKind == JsonValueKind.String ? data.GetString()! : data.GetRawText();
        var message = QueuesModelFactory.QueueMessage(
            Text(request.Metadata, "Id") ?? "", Text(request.Metadata, "PopReceipt") ?? "", BinaryData.FromString(body),
            Number(request.Metadata, "DequeueCount"), Instant(request.Metadata, "NextVisibleTime"),
            Instant(request.Metadata, "InsertionTime"), Instant(request.Metadata, "ExpirationTime"));
        try
        {
            switch (await handler.HandleAsync(message, cancellationToken))
            {
                case Disposition.WakeAfter wake:
                    // The host deletes the message once we answer 200, so the timer continues as a copy hidden until it is due.
                    await clients.Queue(handler.Queue).SendMessageAsync(QueuePump.WithFailures(body, 0), clock.ToReal(wake.Delay), TimeSpan.FromSeconds(-1), cancellationToken);
                    logs.Add($"Re-armed: visible again in {clock.ToReal(wake.Delay)}.");
                    return Answer(StatusCodes.Status200OK, logs);
                case Disposition.Retry retry:
                    logs.Add($"Not ready (its commit may still be in flight): retry in {retry.Delay} or later.");
                    return Answer(StatusCodes.Status500InternalServerError, logs);
                default:
                    logs.Add("Done.");
                    return Answer(StatusCodes.Status200OK, logs);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logs.Add($"Failed: {ex.GetType().Name}: {ex.Message}");
            return Answer(StatusCodes.Status500InternalServerError, logs);
        }
    }

    private static IResult Answer(int status, List<string> logs) =>
        Results.Json(new InvocationResponse([], logs, null), statusCode: status);

    private static string? Text(Dictionary<string, JsonElement>? metadata, string name) =>
        metadata is not null && metadata.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(Dictionary<string, JsonElement>? metadata, string name) =>
        metadata is not null && metadata.TryGetValue(name, out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetInt64()
            : long.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0
            : 0;

    private static DateTimeOffset? Instant(Dictionary<string, JsonElement>? metadata, string name) =>
        Text(metadata, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
