using System.Diagnostics;
using Handoff.Benchmarks.Metering;
using Microsoft.DurableTask.Client;

namespace Handoff.Benchmarks.Measurements;

internal static class Wait
{
    /// <summary>Counts over a window of <paramref name="length"/>: what the meter saw, and how long it really was.</summary>
    public static async Task<(MeterSnapshot Window, TimeSpan Length)> WindowAsync(Meter meter, TimeSpan length)
    {
        var before = meter.Snapshot();
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(length);
        var after = meter.Snapshot();
        return (after.Minus(before), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// A pause long enough for the engine's queue pollers to have backed off to <paramref name="maxPolling"/> (from the shortest
    /// interval, doubling: about twice the maximum), plus a random part so the next event lands anywhere in the polling cycle.
    /// </summary>
    public static TimeSpan IdleGap(TimeSpan maxPolling) =>
        maxPolling * 2 + maxPolling * Random.Shared.NextDouble() + TimeSpan.FromSeconds(2);

    /// <summary>Polls the engine (as the benchmark, not counted) until every instance has completed.</summary>
    public static async Task CompletedAsync(DurableTaskClient client, IEnumerable<string> instanceIds, TimeSpan timeout)
    {
        using var bench = Caller.As(Caller.Bench);
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        foreach (var id in instanceIds)
        {
            while ((await client.GetInstanceAsync(id))?.IsCompleted != true)
            {
                if (Stopwatch.GetTimestamp() > until)
                {
                    throw new TimeoutException($"Instance {id} did not complete within {timeout}.");
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>Polls until the instance's orchestrator has run once (it is waiting for its first event).</summary>
    public static async Task RunningAsync(DurableTaskClient client, string instanceId)
    {
        using var bench = Caller.As(Caller.Bench);
        while ((await client.GetInstanceAsync(instanceId))?.RuntimeStatus != OrchestrationRuntimeStatus.Running)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Runs <paramref name="work"/> for every item with at most <paramref name="concurrency"/> at once.</summary>
    public static Task ForEachAsync<T>(IEnumerable<T> items, int concurrency, Func<T, Task> work) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (item, _) => await work(item));
}
