using System.Diagnostics;
using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.Benchmarks.Reporting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Figure 1. Storage requests a minute of one idle instance: the engine alone (the floor) at several partition/polling settings,
/// each followed by events raised from another instance once its pollers have backed off (the latency that setting buys, and what
/// an isolated event costs beyond idle); and our
/// self-host at production settings with its background loops (reconciler every minute, webhook pump).
/// </summary>
public static class IdleCost
{
    public sealed record Result(
        string Name, MeterSnapshot Window, TimeSpan Length, IReadOnlyList<double> CrossProcessSeconds, string Load, CrossProcessLatency.Isolated? Cost = null)
    {
        public double PerMinute(string? source = null, string? caller = null) => Window.Total(source, caller) / Length.TotalMinutes;
    }

    public static async Task<Result> FloorAsync(string connectionString, FloorProfile profile, BenchOptions options, FloorSignals signals)
    {
        var hub = HubNames.Next("idle");
        await using var floor = await FloorEngine.StartAsync(hub, connectionString, profile, signals);
        var ids = Enumerable.Range(0, options.CurveSamples).Select(i => $"{hub}-e{i}").ToList();
        var warmup = $"{hub}-w";
        using (Caller.As(Caller.Client))
        {
            foreach (var id in ids.Append(warmup))
            {
                await floor.Client.ScheduleNewOrchestrationInstanceAsync(FloorOrchestrations.One, new FloorInput(), new StartOrchestrationOptions(id));
            }

            // The other service's first use checks that the task hub exists: not an event's cost.
            await Wait.RunningAsync(floor.Client, warmup);
            await floor.OtherClient.RaiseEventAsync(warmup, FloorOrchestrations.StepEvent, 1);
        }

        await signals.WaitAsync(warmup, 1).WaitAsync(TimeSpan.FromMinutes(2));

        await Task.Delay(options.IdleWarmup);
        var load = Machine.Load();
        var (window, length) = await Wait.WindowAsync(floor.Meter, options.IdleWindow);
        Machine.Say($"idle {profile.Name}: {window.Total() / length.TotalMinutes:0.0} requests/min; now raising {ids.Count} events from another instance");

        var latencies = new List<double>();
        var before = floor.Meter.Snapshot();
        var started = Stopwatch.GetTimestamp();
        foreach (var id in ids)
        {
            await Task.Delay(Wait.IdleGap(profile.MaxQueuePollingInterval));
            var raised = Stopwatch.GetTimestamp();
            using (Caller.As(Caller.Client))
            {
                await floor.OtherClient.RaiseEventAsync(id, FloorOrchestrations.StepEvent, 1);
            }

            var done = await signals.WaitAsync(id, 1).WaitAsync(TimeSpan.FromMinutes(3));
            latencies.Add(Stopwatch.GetElapsedTime(raised, done.At).TotalSeconds);
        }

        await Task.Delay(Wait.IdleGap(profile.MaxQueuePollingInterval));
        var cost = new CrossProcessLatency.Isolated(ids.Count, floor.Meter.Snapshot().Minus(before), Stopwatch.GetElapsedTime(started), window.Total() / length.TotalMinutes);
        return new Result(profile.Name, window, length, latencies, load, cost);
    }

    /// <summary>Our self-host, production settings, the reconciler and webhook loops running, no cases.</summary>
    public static async Task<Result> HandoffAsync(string connectionString, BenchOptions options)
    {
        var hub = HubNames.Next("idleours");
        await using var host = await HandoffHost.StartAsync(hub, connectionString, HostProfile.Production with { Workers = true });
        await Task.Delay(options.IdleWarmup);
        var load = Machine.Load();
        var (window, length) = await Wait.WindowAsync(host.Meter, options.IdleWindow);
        Machine.Say($"idle Handoff self-host: {window.Total() / length.TotalMinutes:0.0} requests/min");
        return new Result("Handoff self-host, production settings, loops on", window, length, [], load);
    }
}
