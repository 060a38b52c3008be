using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;

namespace Handoff.Functions.Api;

/// <summary><c>GET /healthz</c>: storage reachable, queue depths, poisoned messages and the last failures the workers saw.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (StorageClients clients, QueueHealth health, StorageRequestCounter counter, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var queues = new Dictionary<string, int>();
            try
            {
                foreach (var name in StorageNames.Queues)
                {
                    var properties = await clients.Queue(name).GetPropertiesAsync(cancellationToken);
                    queues[name] = properties.Value.ApproximateMessagesCount;
                }
            }
            catch (Azure.RequestFailedException ex)
            {
                return Results.Json(new { status = "unhealthy", error = $"storage: {ex.Status} {ex.ErrorCode}" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            var poisoned = queues.Where(q => q.Key.EndsWith("-poison", StringComparison.Ordinal)).Sum(q => q.Value);
            return Results.Json(new
            {
                status = poisoned > 0 ? "degraded" : "healthy",
                now = time.GetUtcNow().ToOffset(Handoff.Core.Time.ChinaTime.Offset),
                poisonedMessages = poisoned,
                queues,
                workers = health.Queues,
                storageRequests = counter.Total,
            });
        }).AllowAnonymous().WithTags("Health").WithName("Health");
        return app;
    }
}
