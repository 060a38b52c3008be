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
            _ => StatusCodes.Status409Conflict,
        },
        rejection.Code, rejection.Field, rejection.Detail);

    public static IResult Invalid(string field, string code, string rule) => Problem(StatusCodes.Status400BadRequest, code, field, rule);

    public static IResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "not-found", null, $"No such {what}, or it is not visible to this organisation.");

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
                409 => "Conflict",
                _ => "Error",
            },
            detail: field is null ? detail : $"{field} {detail}",
            extensions: extensions);
    }
}
