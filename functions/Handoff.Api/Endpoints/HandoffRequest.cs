using Handoff.Api.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Handoff.Api.Endpoints;

/// <summary>What a handler gets: the request, the authenticated caller (null on an anonymous route) and the engine's client.</summary>
public sealed record HandoffRequest(HttpContext Http, Caller? Caller, DurableTaskClient Client)
{
    public IServiceProvider Services => Http.RequestServices;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The authenticated caller; only routes that are not anonymous use it.</summary>
    public Caller By => Caller ?? throw new InvalidOperationException("An anonymous route asked for its caller.");

    /// <summary>The route's <c>{id}</c>.</summary>
    public string Id => Http.Request.RouteValues["id"]?.ToString() ?? "";

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public string? Header(string name) => Http.Request.Headers.TryGetValue(name, out var values) ? values.ToString() : null;

    public T Get<T>()
        where T : notnull => Services.GetService(typeof(T)) is T service ? service : throw new InvalidOperationException($"{typeof(T).Name} is not registered.");
}
