using Azure.Data.Tables;
using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.Benchmarks.Reporting;
using Handoff.Core.Time;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Statistics;
using Handoff.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Figure 5. Cases registered for a release 30 days ahead and acknowledged: each orchestration then waits on a long timer (the
/// release deadline), split by the SDK into <c>MaximumTimerInterval</c> pieces (6 days). Measured: what each occupies in the
/// engine's tables and queues and in ours, beside the floor's parked orchestration (same shape: start → activity, event → activity,
/// long timer); what the reconciler's daily full pass costs per open case; and what one timer piece costs, on a second host whose
/// pieces are 10 s long so that many fire within a minute (the floor likewise). Requests per parked case per week =
/// 7/6 pieces × requests per piece + 7 full passes × requests per case.
/// </summary>
public static class ParkedCases
{
    public const string Sweep = "reconciler";

    public sealed record Result(
        int Cases, IReadOnlyList<Footprint.Part> Engine, IReadOnlyList<Footprint.Part> Ours, int FloorCases, IReadOnlyList<Footprint.Part> FloorParts,
        MeterSnapshot FullPass, Pieces Ours10s, Pieces Floor10s, string Load);

    /// <param name="Fired">Timer pieces that fired in the window (TimerFired rows in the engine's history).</param>
    public sealed record Pieces(int Instances, long Fired, MeterSnapshot Window, TimeSpan Length)
    {
        public double PerPiece => Fired == 0 ? double.NaN : Window.Total() / (double)Fired;
    }

    public static async Task<Result> RunAsync(string connectionString, BenchOptions options, FloorSignals signals)
    {
        var load = Machine.Load();
        List<Footprint.Part> engine, ours;
        int parked;
        MeterSnapshot fullPass;
        await using (var host = await HandoffHost.StartAsync(HubNames.Next("parked"), connectionString, HostProfile.Production))
        {
            parked = await ParkAsync(host, options.ParkedCases, options.Concurrency);

            // The last steps' publishing, and the figures' catch-up (it coalesces, then recomputes the county and removes its marker).
            await Task.Delay(RegionStatsCatchUp.Coalesce * 2 + TimeSpan.FromSeconds(5));
            var (count, bytes) = host.Meter.DelayedMessages;
            engine = await Footprint.EngineAsync(connectionString, host.Hub, HostProfile.Production.PartitionCount, count == 0 ? 0 : bytes / (double)count);
            ours = await Footprint.OursAsync(connectionString);
            Machine.Say($"parked: {parked} cases, {(engine.Sum(p => p.Bytes) + ours.Sum(p => p.Bytes)) / (double)parked:0} bytes each");

            var before = host.Meter.Snapshot();
            using (Caller.As(Sweep))
            {
                await host.Services.GetRequiredService<CaseReconciler>().SweepAsync(host.Engine, fullPass: true);
            }

            fullPass = host.Meter.Snapshot().Minus(before);
        }

        var floorCount = Math.Min(parked, 500);
        List<Footprint.Part> floorParts;
        await using (var floor = await FloorEngine.StartAsync(HubNames.Next("floorparked"), connectionString, FloorProfile.Production, signals))
        {
            await ParkFloorAsync(floor, signals, floorCount);
            await Task.Delay(TimeSpan.FromSeconds(5));
            var (count, bytes) = floor.Meter.DelayedMessages;
            floorParts = await Footprint.EngineAsync(connectionString, floor.Meter.Hub, FloorProfile.Production.PartitionCount, count == 0 ? 0 : bytes / (double)count);
            floorParts.Add(await Footprint.TableAsync(new TableServiceClient(connectionString), FloorOrchestrations.Table, "floor's table"));
        }

        // Timer pieces of 10 s instead of 6 days: the cost of one piece, ours and the floor's, side by side.
        var tenSeconds = TimeSpan.FromSeconds(10);
        await using var pieceHost = await HandoffHost.StartAsync(HubNames.Next("pieces"), connectionString, HostProfile.Production with { MaximumTimerInterval = tenSeconds });
        await using var pieceFloor = await FloorEngine.StartAsync(HubNames.Next("floorpieces"), connectionString,
            FloorProfile.Production with { MaximumTimerInterval = tenSeconds }, signals);
        var pieceCases = await ParkAsync(pieceHost, options.PieceCases, options.Concurrency);
        await ParkFloorAsync(pieceFloor, signals, options.PieceCases);
        await Task.Delay(TimeSpan.FromSeconds(15)); // the acknowledgement's cancelled timer fires its last piece once; let it pass
        var piecesOurs = PiecesAsync(connectionString, pieceHost.Hub, pieceHost.Meter, pieceCases, options.PieceWindow);
        var piecesFloor = PiecesAsync(connectionString, pieceFloor.Meter.Hub, pieceFloor.Meter, options.PieceCases, options.PieceWindow);
        var result = new Result(parked, engine, ours, floorCount, floorParts, fullPass, await piecesOurs, await piecesFloor, load);
        Machine.Say($"parked: {result.Ours10s.PerPiece:0.0} requests per timer piece (floor {result.Floor10s.PerPiece:0.0})");
        return result;
    }

    /// <summary>Registers and acknowledges <paramref name="count"/> cases; returns how many got through both (a failure is reported).</summary>
    private static async Task<int> ParkAsync(HandoffHost host, int count, int concurrency)
    {
        var releaseDate = ChinaTime.LocalDate(host.Time.GetUtcNow()).AddDays(30);
        var parked = 0;
        await Wait.ForEachAsync(Enumerable.Range(0, count), concurrency, async _ =>
        {
            try
            {
                var caseId = (await HandoffApi.RegisterAsync(host, releaseDate)).CaseId;
                await HandoffApi.AcknowledgeAsync(host, caseId);
                Interlocked.Increment(ref parked);
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
            {
                Machine.Say($"parked: a case failed to park: {ex.Message[..Math.Min(200, ex.Message.Length)]}");
            }
        });
        return parked;
    }

    private static async Task ParkFloorAsync(FloorEngine floor, FloorSignals signals, int count)
    {
        var prefix = floor.Meter.Hub;
        await Wait.ForEachAsync(Enumerable.Range(0, count), 8, async i =>
        {
            var id = $"{prefix}-{i}";
            using (Caller.As(Caller.Client))
            {
                await floor.Client.ScheduleNewOrchestrationInstanceAsync(FloorOrchestrations.Parked, new FloorInput(Park: TimeSpan.FromDays(30)), new StartOrchestrationOptions(id));
            }

            await signals.WaitAsync(id, 0).WaitAsync(TimeSpan.FromMinutes(2));
            using (Caller.As(Caller.Client))
            {
                await floor.Client.RaiseEventAsync(id, FloorOrchestrations.StepEvent, 1);
            }

            await signals.WaitAsync(id, 1).WaitAsync(TimeSpan.FromMinutes(2));
        });
    }

    private static async Task<Pieces> PiecesAsync(string connectionString, string hub, Meter meter, int instances, TimeSpan length)
    {
        var history = new TableServiceClient(connectionString).GetTableClient($"{hub}History");
        async Task<long> FiredAsync()
        {
            long n = 0;
            await foreach (var _ in history.QueryAsync<TableEntity>("EventType eq 'TimerFired'", select: ["PartitionKey"]))
            {
                n++;
            }

            return n;
        }

        var firedBefore = await FiredAsync();
        var (window, elapsed) = await Wait.WindowAsync(meter, length);
        return new Pieces(instances, await FiredAsync() - firedBefore, window, elapsed);
    }
}
