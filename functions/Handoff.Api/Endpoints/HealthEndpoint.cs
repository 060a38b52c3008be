using Handoff.Storage.Infrastructure;
using Handoff.Api.Hosting;
using Handoff.Workflow;
using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>
/// <c>GET /healthz</c>: without an operator's key only <c>status</c> (healthy, degraded, unhealthy: enough for a load balancer, nothing
/// for a prober); with one (<c>X-Api-Key</c>, <see cref="ApiKeyRegistry.IsOperator"/>) also the workflow clock (<c>now</c>), the task
/// hub, queue depths, poisoned deliveries, the cases whose orchestration is blocked (its activity failing past its retries), the
/// reconciler's counts and last error, the group-robot and e-mail channels failing (a permanent error, a send that may not have arrived,
/// retries, or a Key Vault reference not resolved), and the storage requests made. Degraded while a delivery is poisoned, a case
/// abandoned or blocked — and, in the operator's view (which reads each channel's state), while a configured channel fails: a robot's
/// trouble is the operator's to see, not a reason for a load balancer to take an instance out.
/// </summary>
public static class HealthEndpoint
{
    public static async Task<IResult> GetAsync(HandoffRequest r)
    {
        var detailed = r.Get<Auth.ApiKeyRegistry>().IsOperator(r.Header(Auth.ApiKeyAuthenticationHandler.Header));
        var clients = r.Get<StorageClients>();
        var reconciler = r.Get<ReconcilerHealth>();
        var time = r.Get<WorkflowTime>();
        var queues = new Dictionary<string, int>();
        IReadOnlyList<Storage.Index.BlockedCase> blocked;
        var channels = r.Get<Storage.Notices.Channels.ChannelDirectory>();
        var failing = new List<ChannelHealth>();
        try
        {
            blocked = await r.Get<Storage.Index.CaseIndexStore>().BlockedAsync(100, r.Aborted);
            if (detailed)
            {
                // The operator's view only: one point read per configured channel, never on a load balancer's probe.
                failing.AddRange((await r.Get<Storage.Notices.Channels.ChannelStore>().StatesAsync(channels.All.Select(c => c.Key), r.Aborted))
                    .Where(c => c.State.Failing)
                    .Select(c => new ChannelHealth(c.Key, c.State.LastError, c.State.LastErrorAt, c.State.GaveUp, c.State.Uncertain, c.State.LastSentAt)));
                failing.AddRange(channels.Unresolved.Select(u => new ChannelHealth(u.Channel, $"{u.Setting}: Key Vault reference not resolved", null, 0, 0, null)));
            }

            foreach (var name in StorageNames.Queues)
            {
                queues[name] = (await clients.Queue(name).GetPropertiesAsync(r.Aborted)).Value.ApproximateMessagesCount;
            }
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            return detailed
                ? Results.Json(new { status = "unhealthy", error = "storage unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Json(new { status = "unhealthy" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var poisoned = queues.Where(q => q.Key.EndsWith("-poison", StringComparison.Ordinal)).Sum(q => q.Value);
        var status = poisoned > 0 || reconciler.Abandoned > 0 || blocked.Count > 0 || failing.Count > 0 ? "degraded" : "healthy";
        if (!detailed)
        {
            return Results.Json(new { status });
        }

        return Results.Json(new
        {
            status,
            now = time.GetUtcNow().ToOffset(Core.Time.ChinaTime.Offset),
            clock = new { speed = time.Clock.Speed, anchoredAt = time.Clock.RealAnchor, startedAt = time.Clock.WorkflowAnchor },
            taskHub = r.Get<TaskHubName>().Value,
            poisonedMessages = poisoned,
            blocked = new
            {
                count = blocked.Count,
                cases = blocked.Select(b => b.CaseId),
                oldestSince = blocked.Count == 0 ? (DateTimeOffset?)null : blocked.Min(b => b.Since),
                details = blocked.Take(20),
            },
            queues,
            channels = new { configured = channels.All.Count, failing },
            reconciler = new
            {
                restored = reconciler.Restored,
                nudged = reconciler.Nudged,
                stalled = reconciler.Stalled,
                abandoned = reconciler.Abandoned,
                lastSweepAt = reconciler.LastSweepAt,
                lastFullPassAt = reconciler.LastFullPassAt,
                lastError = reconciler.LastError,
            },
            storageRequests = r.Get<StorageRequestCounter>().Total,
        });
    }
}

/// <summary>A channel failing, as <c>/healthz</c> lists it for operators (docs/operations.md): its key, last error, counts.</summary>
public sealed record ChannelHealth(string Channel, string? LastError, DateTimeOffset? LastErrorAt, long GaveUp, long Uncertain, DateTimeOffset? LastSentAt);
