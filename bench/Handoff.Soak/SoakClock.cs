using System.Text.Json;
using Handoff.Core.Time;

namespace Handoff.Soak;

/// <summary>
/// The task hub's workflow clock as the services report it (<c>/healthz</c>: <c>clock.anchoredAt</c>, <c>startedAt</c>,
/// <c>speed</c>), read once: every process maps real time through the same anchor, so the soak's own "now" is theirs.
/// </summary>
public sealed class SoakClock(WorkflowClock clock)
{
    public WorkflowClock Clock => clock;

    public DateTimeOffset Now => clock.ToWorkflow(TimeProvider.System.GetUtcNow());

    public DateOnly Today => ChinaTime.LocalDate(Now);

    public static SoakClock FromHealth(JsonElement health)
    {
        var c = health.GetProperty("clock");
        return new SoakClock(new WorkflowClock(
            c.GetProperty("anchoredAt").GetDateTimeOffset(), c.GetProperty("startedAt").GetDateTimeOffset(), c.GetProperty("speed").GetDouble()));
    }

    /// <summary>Waits until workflow time reaches <paramref name="instant"/> (plus <paramref name="extra"/> real time).</summary>
    public Task DelayUntilAsync(DateTimeOffset instant, TimeSpan extra, CancellationToken cancellationToken)
    {
        var wait = clock.ToReal(instant) + extra - TimeProvider.System.GetUtcNow();
        return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
    }
}
