using Microsoft.DurableTask.Client;

namespace Handoff.Pages.Infrastructure;

/// <summary>
/// One page or form target: the same name, method, route and handler in both hosts. The self-host maps each entry; the Function App
/// declares one HTTP function per entry with the same name, method and route (<see cref="PageRoutes"/> constants), and a test checks
/// that the two agree. Pages are not part of the API's OpenAPI document.
/// </summary>
/// <param name="Route">Without a leading slash, as an Azure Functions <c>HttpTrigger</c> route.</param>
/// <param name="Anonymous">Served without a session (sign-in, assets); every other page sends an unknown visitor to <c>/signin</c>.</param>
public sealed record PageRoute(string Name, string Method, string Route, bool Anonymous, Func<PageRequest, Task<IResult>> Handler);

/// <summary>What a page handler gets: the request, the signed-in person's organisation (null on an anonymous page), the engine's client.</summary>
public sealed record PageRequest(HttpContext Http, Api.Auth.Caller? Caller, DurableTaskClient Client)
{
    public IServiceProvider Services => Http.RequestServices;

    public CancellationToken Aborted => Http.RequestAborted;

    public Api.Auth.Caller By => Caller ?? throw new InvalidOperationException("An anonymous page asked for its caller.");

    public string Route(string name) => Http.Request.RouteValues[name]?.ToString() ?? "";

    /// <summary>The workflow instant the request was received (stamped once, as the API stamps its requests): a form's legal time.</summary>
    public DateTimeOffset ReceivedAt => Api.Endpoints.HandoffHttp.ReceivedAt(Http, Get<Workflow.WorkflowTime>());

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();
}
