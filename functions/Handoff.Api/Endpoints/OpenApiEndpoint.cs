namespace Handoff.Api.Endpoints;

/// <summary>
/// <c>GET /openapi/v1.json</c>: the API's description, one committed file (<c>functions/Handoff.Api/openapi/v1.json</c>, generated
/// from the self-host's endpoint metadata and checked against it by a test) served the same by both hosts.
/// </summary>
public static class OpenApiEndpoint
{
    /// <summary>Where the file is, relative to the application's folder (it travels to both hosts' output).</summary>
    public static readonly string RelativePath = Path.Combine("openapi", "v1.json");

    public static Task<IResult> GetAsync(HandoffRequest r)
    {
        var path = Path.Combine(AppContext.BaseDirectory, RelativePath);
        return Task.FromResult(File.Exists(path) ? TypedResults.PhysicalFile(path, RouteAnswer.Json) : (IResult)Problems.NotFound("document"));
    }
}
