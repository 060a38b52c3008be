using System.Text.Json;
using Handoff.Api.Auth;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Workflow;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Api.Endpoints;

/// <summary>
/// Every cross-cutting concern of the API, in one place, because the Functions worker runs a fixed ASP.NET pipeline (forwarded
/// headers, routing, endpoints — no authentication, exception-handler or problem-details middleware of ours): both hosts call
/// <see cref="RunAsync"/> for every route. It authenticates the caller (API key or Entra ID token, through the registered
/// authentication handlers), runs the handler, and turns an unexpected failure into a problem that says nothing was done.
/// </summary>
public static partial class HandoffHttp
{
    private const string ReceivedAtItem = "handoff:receivedAt";
    private static readonly JsonSerializerOptions BodyJson = CoreJson.Create();

    public static async Task<IResult> RunAsync(HttpContext http, DurableTaskClient client, HandoffRoute route)
    {
        var services = http.RequestServices;
        ReceivedAt(http, services.GetRequiredService<WorkflowTime>());
        try
        {
            Caller? caller = null;
            if (!route.Anonymous)
            {
                var result = await http.AuthenticateAsync(EntraAuthentication.PolicyScheme);
                if (!result.Succeeded)
                {
                    return Problems.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", null, result.Failure is null
                        ? $"Send a valid API key in the {ApiKeyAuthenticationHandler.Header} header, or an Entra ID bearer token."
                        : $"The credential was refused: {result.Failure.Message}");
                }

                caller = Caller.From(result.Principal!, services.GetRequiredService<OrganisationDirectory>());
            }

            return await route.Handler(new HandoffRequest(http, caller, client));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception ex)
        {
            Failed(services.GetRequiredService<ILoggerFactory>().CreateLogger("Handoff.Api"), ex, route.Name);
            return Problems.Problem(StatusCodes.Status500InternalServerError, "internal-error", null,
                "An unexpected error occurred. A command may or may not have been accepted: retry with the same Idempotency-Key.");
        }
    }

    /// <summary>The request body as <typeparamref name="T"/> (null when empty), or a problem naming the JSON path that could not be read.</summary>
    public static async Task<(T? Body, IResult? Problem)> ReadBodyAsync<T>(HandoffRequest r)
        where T : class
    {
        var request = r.Http.Request;
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (null, null);
        }

        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", null, "Send the body as application/json."));
        }

        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, BodyJson, r.Aborted), null);
        }
        catch (JsonException json)
        {
            return (null, Problems.Invalid(json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", "unreadable-json",
                "could not be read: " + (json.Path is null or "$" ? "the body is not valid JSON" : "wrong type or format")));
        }
    }

    /// <summary>The workflow instant this request was received: one value per request, whatever reads it.</summary>
    public static DateTimeOffset ReceivedAt(HandoffRequest r) => ReceivedAt(r.Http, r.Get<WorkflowTime>());

    private static DateTimeOffset ReceivedAt(HttpContext http, WorkflowTime time)
    {
        if (http.Items[ReceivedAtItem] is DateTimeOffset at)
        {
            return at;
        }

        var now = time.GetUtcNow();
        http.Items[ReceivedAtItem] = now;
        return now;
    }

    [LoggerMessage(2101, LogLevel.Error, "Request to {Route} failed unexpectedly")]
    private static partial void Failed(ILogger logger, Exception exception, string route);
}
