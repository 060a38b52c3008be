using System.Diagnostics;
using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.Benchmarks.Reporting;
using Handoff.Core.Time;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Figures 4 and 2a. Full handoffs through the HTTP API of one self-host at production settings — register, acknowledge, release,
/// report, agreement, each answered when applied (a 202 is followed to its outcome) — one after another, as commands on a case
/// come one at a time, each step settled (<see cref="BenchOptions.Settle"/>) before the next. Every storage request in the window
/// is counted, by caller: the API (its reads, its wait for the command record, its engine calls), the engine's worker, and the
/// activity's writes. Then the engine's floor in the same Azurite: the same shape with minimal orchestrations, and one event → one
/// activity with one write.
/// </summary>
public static class HandoffRequests
{
    public static readonly string[] Commands = ["register", "acknowledge", "release", "report", "agreement"];

    public sealed record Result(int Count, MeterSnapshot Window, TimeSpan Length, IReadOnlyDictionary<string, List<double>> Milliseconds, int Accepted, int FollowUps, string Load);

    public sealed record FloorResult(string Name, int Count, MeterSnapshot Window, TimeSpan Length, IReadOnlyList<double> EventMilliseconds, string Load);

    public static async Task<Result> HandoffsAsync(string connectionString, BenchOptions options)
    {
        var hub = HubNames.Next("handoff");
        await using var host = await HandoffHost.StartAsync(hub, connectionString, HostProfile.Production);
        for (var i = 0; i < options.WarmupHandoffs; i++)
        {
            await OneAsync(host, null, options.Settle);
        }

        var load = Machine.Load();
        var latencies = Commands.ToDictionary(c => c, _ => new List<double>(), StringComparer.Ordinal);
        var before = host.Meter.Snapshot();
        var started = Stopwatch.GetTimestamp();
        var answers = new List<HandoffApi.Answer>();
        for (var i = 0; i < options.Handoffs; i++)
        {
            answers.AddRange(await OneAsync(host, latencies, options.Settle));
        }

        // The orchestration completes after the last activity answered: wait for that episode too (the waiting is not counted).
        await Wait.CompletedAsync(host.Engine, answers.Where(a => a.Status == System.Net.HttpStatusCode.Created).Select(a => a.CaseId), TimeSpan.FromMinutes(2));
        var window = host.Meter.Snapshot().Minus(before);
        var length = Stopwatch.GetElapsedTime(started);
        Machine.Say($"handoffs: {window.Total() / (double)options.Handoffs:0.0} requests each");
        return new Result(options.Handoffs, window, length, latencies, answers.Count(a => a.WasAccepted), answers.Sum(a => a.FollowUps), load);
    }

    private static async Task<List<HandoffApi.Answer>> OneAsync(HandoffHost host, Dictionary<string, List<double>>? latencies, TimeSpan settle)
    {
        var releaseDate = ChinaTime.LocalDate(host.Time.GetUtcNow()).AddDays(10);
        var registered = await HandoffApi.RegisterAsync(host, releaseDate);
        var caseId = registered.CaseId;
        var answers = new List<HandoffApi.Answer> { registered };
        foreach (var command in new Func<HandoffHost, string, Task<HandoffApi.Answer>>[]
                 { HandoffApi.AcknowledgeAsync, HandoffApi.ReleaseAsync, HandoffApi.ReportAsync, HandoffApi.AgreementAsync })
        {
            await Task.Delay(settle);
            answers.Add(await command(host, caseId));
        }

        await Task.Delay(settle);
        for (var i = 0; i < answers.Count && latencies is not null; i++)
        {
            latencies[Commands[i]].Add(answers[i].Elapsed.TotalMilliseconds);
        }

        return answers;
    }

    /// <summary>The floor of one command: start (not counted as the command), then one event → one activity with one write.</summary>
    public static Task<FloorResult> FloorOneAsync(string connectionString, BenchOptions options, FloorSignals signals) =>
        MeasureFloorAsync("floorone", "one event → one activity, one write", connectionString, options, signals, FloorOneRunAsync);

    /// <summary>
    /// A floor measurement: its own engine and hub, a warm-up run, then the counted run of <see cref="BenchOptions.Handoffs"/>.
    /// </summary>
    private static async Task<FloorResult> MeasureFloorAsync(
        string hubPrefix, string shape, string connectionString, BenchOptions options, FloorSignals signals,
        Func<FloorEngine, FloorSignals, string, int, TimeSpan, Task<List<double>>> run)
    {
        var hub = HubNames.Next(hubPrefix);
        await using var floor = await FloorEngine.StartAsync(hub, connectionString, FloorProfile.Production, signals);
        await run(floor, signals, $"{hub}-w", options.WarmupHandoffs, options.Settle);
        var load = Machine.Load();
        var before = floor.Meter.Snapshot();
        var started = Stopwatch.GetTimestamp();
        var milliseconds = await run(floor, signals, hub, options.Handoffs, options.Settle);
        var window = floor.Meter.Snapshot().Minus(before);
        return new FloorResult(shape, options.Handoffs, window, Stopwatch.GetElapsedTime(started), milliseconds, load);
    }

    private static async Task<List<double>> FloorOneRunAsync(FloorEngine floor, FloorSignals signals, string prefix, int count, TimeSpan settle)
    {
        var milliseconds = new List<double>();
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToList();
        foreach (var id in ids)
        {
            using (Caller.As(Caller.Client))
            {
                await floor.Client.ScheduleNewOrchestrationInstanceAsync(FloorOrchestrations.One, new FloorInput(), new StartOrchestrationOptions(id));
            }

            await Wait.RunningAsync(floor.Client, id);
            await Task.Delay(settle);
            var raised = Stopwatch.GetTimestamp();
            using (Caller.As(Caller.Client))
            {
                await floor.Client.RaiseEventAsync(id, FloorOrchestrations.StepEvent, 1);
            }

            var done = await signals.WaitAsync(id, 1).WaitAsync(TimeSpan.FromMinutes(1));
            milliseconds.Add(Stopwatch.GetElapsedTime(raised, done.At).TotalMilliseconds);
            await Task.Delay(settle);
        }

        await Wait.CompletedAsync(floor.Client, ids, TimeSpan.FromMinutes(1));
        return milliseconds;
    }

    /// <summary>The floor of a handoff: its shape (start, 4 events, a timer beside each wait, 5 activities of one read and one commit).</summary>
    public static async Task<FloorResult> FloorHandoffAsync(string connectionString, BenchOptions options, FloorSignals signals)
    {
        var result = await MeasureFloorAsync("floorhandoff", "a handoff's shape", connectionString, options, signals, FloorHandoffRunAsync);
        Machine.Say($"floor handoffs: {result.Window.Total() / (double)options.Handoffs:0.0} requests each");
        return result;
    }

    private static async Task<List<double>> FloorHandoffRunAsync(FloorEngine floor, FloorSignals signals, string prefix, int count, TimeSpan settle)
    {
        var milliseconds = new List<double>();
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToList();
        foreach (var id in ids)
        {
            using (Caller.As(Caller.Client))
            {
                await floor.Client.ScheduleNewOrchestrationInstanceAsync(FloorOrchestrations.Handoff, new FloorInput(Steps: 4), new StartOrchestrationOptions(id));
            }

            await signals.WaitAsync(id, 0).WaitAsync(TimeSpan.FromMinutes(1));
            for (var step = 1; step <= 4; step++)
            {
                await Task.Delay(settle);
                var raised = Stopwatch.GetTimestamp();
                using (Caller.As(Caller.Client))
                {
                    await floor.Client.RaiseEventAsync(id, FloorOrchestrations.StepEvent, step);
                }

                var done = await signals.WaitAsync(id, step).WaitAsync(TimeSpan.FromMinutes(1));
                milliseconds.Add(Stopwatch.GetElapsedTime(raised, done.At).TotalMilliseconds);
            }

            await Task.Delay(settle);
        }

        await Wait.CompletedAsync(floor.Client, ids, TimeSpan.FromMinutes(1));
        return milliseconds;
    }
}
