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
    private static readonly JsonSerializerOptions BodyJson = ApiJson.Options;

    public static async Task<IResult> RunAsync(HttpContext http, DurableTaskClient client, HandoffRoute route)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var activity = Storage.Infrastructure.HandoffTelemetry.Source.StartActivity(route.Name);
        var result = await RunCoreAsync(http, client, route);
        if (route.Method == "POST" && http.RequestServices.GetService<Storage.Infrastructure.HandoffTelemetry>() is { } telemetry)
        {
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
            var outcome = status switch
            {
                StatusCodes.Status202Accepted => "accepted",
                < 300 => "applied",
                < 500 => "refused",
                _ => "failed",
            };
            telemetry.Command(route.Name, outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            activity?.SetTag("handoff.outcome", outcome);
        }

        return result;
    }

    private static async Task<IResult> RunCoreAsync(HttpContext http, DurableTaskClient client, HandoffRoute route)
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

    /// <summary>The largest request body read, in bytes: every command of the API fits in a few hundred.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// The request body as <typeparamref name="T"/> (null when empty), or a problem: 413 over <see cref="MaxBodyBytes"/>, 415 if not
    /// JSON, 400 naming the JSON path that could not be read, that occurs twice, or whose value breaks a rule (an instant without an
    /// offset). A client that breaks off its request gets a 400 and a debug line, never an error with a stack trace.
    /// </summary>
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

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        byte[] bytes;
        try
        {
            bytes = await ReadLimitedAsync(request.Body, r.Aborted);
        }
        catch (BadHttpRequestException bad)
        {
            ClientBrokeOff(r.Get<ILoggerFactory>().CreateLogger("Handoff.Api"), bad.StatusCode);
            return (null, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge()
                : Problems.Problem(StatusCodes.Status400BadRequest, "bad-request", null, "The request body could not be read to its end."));
        }

        if (bytes.Length > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        try
        {
            if (ApiJson.DuplicateKey(bytes) is { } duplicate)
            {
                return (null, Problems.Invalid(duplicate, "duplicate-key", "occurs more than once in its object"));
            }

            return (JsonSerializer.Deserialize<T>(bytes, BodyJson), null);
        }
        catch (JsonRuleException rule)
        {
            return (null, Problems.Invalid(FieldOf(rule), rule.Code, rule.Rule));
        }
        catch (JsonException json)
        {
            return (null, Problems.Invalid(FieldOf(json), "unreadable-json",
                "could not be read: " + (json.Path is null or "$" ? "the body is not valid JSON" : "wrong type or format")));
        }
    }

    private static string FieldOf(JsonException json) => json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body";

    private static IResult TooLarge() =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", null, $"The request body must be at most {MaxBodyBytes / 1024} KB.");

    /// <summary>Reads at most one byte more than <see cref="MaxBodyBytes"/>, so an oversized body is refused without being buffered.</summary>
    private static async Task<byte[]> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The workflow instant this request was received: one value per request, whatever reads it.</summary>
    public static DateTimeOffset ReceivedAt(HandoffRequest r) => ReceivedAt(r.Http, r.Get<WorkflowTime>());

    public static DateTimeOffset ReceivedAt(HttpContext http, WorkflowTime time)
    {
        if (http.Items[ReceivedAtItem] is DateTimeOffset at)
        {
            return at;
        }

        var now = time.GetUtcNow();
        http.Items[ReceivedAtItem] = now;
        return now;
    }

    [LoggerMessage(2102, LogLevel.Debug, "The client broke off its request body ({StatusCode})")]
    private static partial void ClientBrokeOff(ILogger logger, int statusCode);

    [LoggerMessage(2101, LogLevel.Error, "Request to {Route} failed unexpectedly")]
    private static partial void Failed(ILogger logger, Exception exception, string route);
}
