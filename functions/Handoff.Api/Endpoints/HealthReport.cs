namespace Handoff.Api.Endpoints;

/// <summary>
/// What <c>GET /healthz</c> answers, as the OpenAPI document describes it: <c>status</c> always; with an operator's key also the
/// workflow clock, task hub, queue depths and reconciler counts (<see cref="HealthEndpoint"/>).
/// </summary>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> (poisoned deliveries, abandoned cases) or <c>unhealthy</c> (storage unreachable: 503).</param>
public sealed record HealthReport(string Status);
