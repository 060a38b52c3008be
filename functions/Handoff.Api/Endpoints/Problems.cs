using Handoff.Core.Workflow;

namespace Handoff.Api.Endpoints;

/// <summary>RFC 7807 problem details with a stable <c>code</c>, and the <c>field</c> and <c>rule</c> at fault where there is one.</summary>
public static class Problems
{
    public static IResult From(Rejection rejection) => Problem(
        rejection.Kind switch
        {
            RejectionKind.Invalid => StatusCodes.Status400BadRequest,
            RejectionKind.Forbidden => StatusCodes.Status403Forbidden,
            RejectionKind.NotFound => StatusCodes.Status404NotFound,
            RejectionKind.Internal => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status409Conflict,
        },
        rejection.Code, rejection.Field, rejection.Detail);

    public static IResult Invalid(string field, string code, string rule) => Problem(StatusCodes.Status400BadRequest, code, field, rule);

    public static IResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "not-found", null, $"No such {what}, or it is not visible to this organisation.");

    /// <summary>
    /// The problem for a status the framework set without a body (no route: 404, wrong method: 405, and the like), so that every 4xx
    /// answer carries a <c>code</c>. The self-host writes it through <c>UseStatusCodePages</c>; under the Functions host an unmatched
    /// route is answered by the host itself.
    /// </summary>
    public static IResult ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => Problem(status, "not-found", null, "No such resource. The API is described at /openapi/v1.json."),
        StatusCodes.Status405MethodNotAllowed => Problem(status, "method-not-allowed", null, "This resource does not accept that method."),
        StatusCodes.Status413PayloadTooLarge => Problem(status, "body-too-large", null, "The request body is too large."),
        StatusCodes.Status415UnsupportedMediaType => Problem(status, "unsupported-media-type", null, "Send the body as application/json."),
        StatusCodes.Status400BadRequest => Problem(status, "bad-request", null, "The request could not be read."),
        _ => Problem(status, "error", null, "The request could not be served."),
    };

    public static IResult Problem(int status, string code, string? field, string detail)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (field is not null)
        {
            extensions["field"] = field;
            extensions["rule"] = detail;
        }

        return Results.Problem(
            statusCode: status,
            title: status switch
            {
                400 => "Invalid request",
                403 => "Forbidden",
                404 => "Not found",
                405 => "Method not allowed",
                409 => "Conflict",
                413 => "Payload too large",
                415 => "Unsupported media type",
                _ => "Error",
            },
            detail: field is null ? detail : $"{field} {detail}",
            extensions: extensions);
    }
}
