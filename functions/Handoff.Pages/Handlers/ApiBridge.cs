using System.Text.Json;
using Handoff.Api.Endpoints;
using Handoff.Pages.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Handoff.Pages.Handlers;

/// <summary>
/// A page form runs the API's own handler: its fields become the API's JSON body and its idempotency key the <c>Idempotency-Key</c>,
/// so a form is validated, authorised, decided and de-duplicated exactly as the same request to the API would be.
/// </summary>
internal static class ApiBridge
{
    public sealed record Outcome(int Status, string? Code, string? Field, string? Detail, object? Value)
    {
        public bool Succeeded => Status is >= 200 and < 300;

        public bool Pending => Status == StatusCodes.Status202Accepted;
    }

    public static async Task<Outcome> RunAsync(PageRequest p, Func<HandoffRequest, Task<IResult>> handler, object body, string? idempotencyKey)
    {
        var request = p.Http.Request;
        var json = JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options);
        request.Body = new MemoryStream(json);
        request.ContentLength = json.Length;
        request.ContentType = "application/json";
        request.Headers.Remove(CaseCommands.IdempotencyHeader);
        if (idempotencyKey is { Length: > 0 and <= 200 })
        {
            request.Headers[CaseCommands.IdempotencyHeader] = idempotencyKey;
        }

        var result = await handler(new HandoffRequest(p.Http, p.Caller, p.Client));
        return Inspect(result);
    }

    public static Outcome Inspect(IResult result)
    {
        if (result is ProblemHttpResult problem)
        {
            return new Outcome(problem.StatusCode, Extension(problem.ProblemDetails, "code"), Extension(problem.ProblemDetails, "field"),
                Extension(problem.ProblemDetails, "rule") ?? problem.ProblemDetails.Detail, null);
        }

        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        return new Outcome(status, null, null, null, result is IValueHttpResult v ? v.Value : null);
    }

    private static string? Extension(ProblemDetails details, string name) =>
        details.Extensions.TryGetValue(name, out var value) ? value?.ToString() : null;

    /// <summary>A local path to return to after a form (never another site).</summary>
    public static string LocalReturn(string? returnTo, string fallback) =>
        returnTo is { Length: > 1 } r && r[0] == '/' && r[1] != '/' && r[1] != '\\' && !r.Contains("://", StringComparison.Ordinal) ? r : fallback;

    /// <summary>The return path with a one-line outcome code (<c>msg</c> or <c>err</c>) added.</summary>
    public static string WithOutcome(string path, string key, string code)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{path}{separator}{key}={Uri.EscapeDataString(code)}";
    }
}
