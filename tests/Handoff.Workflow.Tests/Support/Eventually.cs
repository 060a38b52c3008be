namespace Handoff.Workflow.Tests.Support;

/// <summary>Polling with a generous real-time limit: the engine's timers are real, and the machine may be loaded.</summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Probes until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the last value seen.</summary>
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Patience;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                Assert.Fail($"Not within {limit}: {what}.\nLast seen: {Describe(value)}");
            }

            await Task.Delay(50);
        }
    }

    private static string Describe<T>(T value)
    {
        if (value is null)
        {
            return "null";
        }

        if (value.GetType().GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType == value.GetType())
        {
            return value.ToString() ?? "";
        }

        try
        {
            return System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions(WorkflowJson.Options)
            {
                WriteIndented = true,
                IncludeFields = true,
            });
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return value.ToString() ?? "";
        }
    }
}
