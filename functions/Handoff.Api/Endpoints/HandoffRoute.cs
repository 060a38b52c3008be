using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>One HTTP operation: the same name, method, route and handler in both hosts.</summary>
/// <param name="Route">Without a leading slash, as an Azure Functions <c>HttpTrigger</c> route (host.json sets <c>routePrefix</c> to "").</param>
/// <param name="Body">The request body's type, for the OpenAPI document.</param>
/// <param name="Response">The success response's type and status, for the OpenAPI document.</param>
public sealed record HandoffRoute(
    string Name,
    string Method,
    string Route,
    bool Anonymous,
    string Tag,
    string Summary,
    Func<HandoffRequest, Task<IResult>> Handler,
    Type? Body = null,
    Type? Response = null,
    int SuccessStatus = StatusCodes.Status200OK);
