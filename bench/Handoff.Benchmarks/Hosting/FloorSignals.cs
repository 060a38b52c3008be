using System.Collections.Concurrent;
using System.Diagnostics;

namespace Handoff.Benchmarks.Hosting;

/// <summary>
/// How the floor's activity tells the benchmark (same process, no storage) that a step's write is done: the instant it finished
/// (<see cref="Stopwatch"/> timestamp) and, for timers, the orchestration time at which the timer was seen to fire.
/// </summary>
public sealed class FloorSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FloorSignal>> _signals = new(StringComparer.Ordinal);

    public Task<FloorSignal> WaitAsync(string instanceId, int step) => Source(instanceId, step).Task;

    public void Complete(string instanceId, int step, DateTime? observedAt) =>
        Source(instanceId, step).TrySetResult(new FloorSignal(Stopwatch.GetTimestamp(), observedAt));

    private TaskCompletionSource<FloorSignal> Source(string instanceId, int step) =>
        _signals.GetOrAdd($"{instanceId}/{step}", _ => new TaskCompletionSource<FloorSignal>(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <param name="At">Stopwatch timestamp when the activity's write completed.</param>
/// <param name="ObservedAt">The orchestration's current time when it ran the step (timers: when the timer fired).</param>
public sealed record FloorSignal(long At, DateTime? ObservedAt);
