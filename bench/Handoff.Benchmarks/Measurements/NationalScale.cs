using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Azure.Data.Tables;
using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.Benchmarks.Reporting;
using Handoff.Core.Cases;
using Handoff.Core.People;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Statistics;
using Handoff.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Issue 23's national measurement (figure 8, <c>--only national</c>). For one and then two worker processes sharing the hub (16
/// partitions, production settings), each on a fresh Azurite:
/// <list type="number">
/// <item>D open cases across the sample directory's four provinces (eight routes: Guangdong's five offices, and one each in Guizhou,
/// Shandong and Inner Mongolia), registered on one release day by the core and written to our tables as the activity writes them
/// (the case, its registration step and events in one transaction, its index rows, the figures): Azurite would take hours to take
/// them through the API;</item>
/// <item>their orchestrations started from those tables, as the move command and the reconciler restore a case
/// (<see cref="CaseReconciler.CheckNowAsync"/>, 32 at once): the move's rate at this size;</item>
/// <item>the midnight of the release day: every case's release deadline ends at once, one durable timer each. From the midnight's
/// real instant each tick is timed by our own instrument as the activity applies it (<c>handoff.timer.lateness</c>, in process), until every
/// case row has moved on (read every 30 s); meanwhile
/// acknowledgements for other cases of the same hub (not due) are sent through the API one after another and timed;</item>
/// <item>then every case's record: its release-not-recorded escalation opened, never before the deadline.</item>
/// </list>
/// Beside it, in the same run: the engine's floor, D bare timers at one instant on the same settings (one worker). After the one-worker
/// midnight, on its Azurite, parked open cases are added up to the national size N (index rows and figures only: no orchestration) and
/// the pages are read at D and at N open cases: the province dashboard, a figure's case list, an office's work list and the API's case
/// list, in storage requests per view.
/// </summary>
public static class NationalScale
{
    private static readonly DateOnly ReleaseDay = new(2026, 3, 10);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(30);

    /// <summary>Centre, office, police station, deciding authority and the office's county: the sample directory's routes.</summary>
    private sealed record Route(string Centre, string Office, string Police, string Authority, string County);

    private static readonly Route[] Routes =
    [
        new("meizhou-centre", "pingyuan-dazhe-office", "pingyuan-dazhe-police", "meizhou-psb", "441426"),
        new("shaoguan-centre", "shixing-taiping-office", "shixing-taiping-police", "shaoguan-psb", "440222"),
        new("shaoguan-centre", "renhua-office", "renhua-police", "shaoguan-psb", "440224"),
        new("meizhou-centre", "yuancheng-puqian-office", "yuancheng-puqian-police", "meizhou-psb", "441602"),
        new("meizhou-centre", "dongyuan-dengta-office", "dongyuan-dengta-police", "meizhou-psb", "441625"),
        new("meizhou-centre", "nanming-office", "nanming-police", "meizhou-psb", "520102"),
        new("shaoguan-centre", "kuiwen-office", "kuiwen-police", "shaoguan-psb", "370705"),
        new("meizhou-centre", "baiyunebo-office", "baiyunebo-police", "meizhou-psb", "150206"),
    ];

    /// <param name="Workers">Worker processes sharing the hub.</param>
    /// <param name="SeedSeconds">Writing the cases to our tables.</param>
    /// <param name="StartSeconds">Starting their orchestrations from our tables (the move's way), until every start was answered.</param>
    /// <param name="QuietSeconds">From the last start answered to the midnight.</param>
    /// <param name="Applied">Per case, real seconds from the midnight until its tick was applied.</param>
    /// <param name="Owners">Partitions each worker owned just before the midnight.</param>
    /// <param name="PendingAtMidnight">Orchestrations whose first episode had not run just before the midnight (the starts' backlog).</param>
    /// <param name="CommandMs">Acknowledgements of cases not due, sent during the drain: milliseconds until each was answered applied.</param>
    public sealed record Midnight(
        int Workers, int Cases, double SeedSeconds, double StartSeconds, double QuietSeconds, IReadOnlyList<double> Applied, int Escalated, int Early,
        IReadOnlyList<int> Owners, int PendingAtMidnight, IReadOnlyList<double> CommandMs, int CommandsFailed, MeterSnapshot Window, bool Complete, string Load)
    {
        public double DrainSeconds => Applied.Count == 0 ? double.NaN : Applied.Max();

        public double FirstSeconds => Applied.Count == 0 ? double.NaN : Applied.Min();

        public double PerSecond => Applied.Count / DrainSeconds;

        public double StartsPerSecond => Cases / StartSeconds;

        public double RequestsPerTick => Applied.Count == 0 ? double.NaN : Window.Total() / (double)Applied.Count;
    }

    public sealed record PageView(string Page, int OpenCases, int Views, double RequestsPerView, double MedianMs, double MaxMs, int Bytes);

    public sealed record Result(IReadOnlyList<Midnight> Midnights, CountyBurst.FloorWave? Floor, IReadOnlyList<PageView> Pages, int NationalSize, double ParkedSeedSeconds)
    {
        public Midnight? One => Midnights.FirstOrDefault(m => m.Workers == 1);

        public Midnight? Two => Midnights.FirstOrDefault(m => m.Workers == 2);

        /// <summary>Two workers' drain against one's (&gt; 1: faster).</summary>
        public double SpeedUp => One is { } one && Two is { } two ? one.DrainSeconds / two.DrainSeconds : double.NaN;
    }

    public static async Task<Result> RunAsync(BenchOptions options, FloorSignals signals)
    {
        var due = options.NationalDue;
        CountyBurst.FloorWave? floor;
        await using (var azurite = await Emulator.StartAsync())
        {
            floor = await CountyBurst.FloorAsync(azurite.ConnectionString, due, signals, TimeSpan.FromSeconds(30 + due / 10.0));
        }

        var midnights = new List<Midnight>();
        var pages = new List<PageView>();
        var parkedSeconds = double.NaN;
        foreach (var workers in options.NationalWorkers)
        {
            await using var azurite = await Emulator.StartAsync();
            var (midnight, hosts, seeded) = await MidnightAsync(azurite.ConnectionString, due, workers, options);
            midnights.Add(midnight);
            try
            {
                if (workers == 1)
                {
                    var host = hosts[0];
                    pages.AddRange(await PagesAsync(host, due));
                    var watch = Stopwatch.StartNew();
                    await SeedParkedAsync(host, due, options.NationalOpen - due, seeded);
                    parkedSeconds = watch.Elapsed.TotalSeconds;
                    pages.AddRange(await PagesAsync(host, options.NationalOpen));
                }
            }
            finally
            {
                foreach (var host in hosts)
                {
                    await host.DisposeAsync();
                }
            }
        }

        var result = new Result(midnights, floor, pages, options.NationalOpen, parkedSeconds);
        Machine.Say($"national: {due} ticks drained in {result.One?.DrainSeconds:0} s with one worker, {result.Two?.DrainSeconds:0} s with two ({result.SpeedUp:0.00}×)");
        return result;
    }

    /// <returns>The measurement, the hosts (still running), and every case of the hub as it stands after the drain with its county.</returns>
    private static async Task<(Midnight, IReadOnlyList<HandoffHost>, IReadOnlyList<(string County, Case Case, int Version)>)> MidnightAsync(string connectionString, int n, int workers, BenchOptions options)
    {
        var hub = HubNames.Next($"national{workers}w");
        var midnightWorkflow = ChinaTime.EndOfDay(ReleaseDay);

        // Our tables first (they are the storage account's, whatever the hub), by a host of another hub without the engine's worker: a
        // hub's clock is anchored by the first host that reads it, and the measured hub's must be the midnight's (every instant here is
        // the core's input).
        var seedWatch = Stopwatch.StartNew();
        var quietCount = Math.Max(20, n / 200);
        List<(string County, Case Case, int Version)> dueCases, quietCases;
        await using (var seeder = await HandoffHost.StartAsync(HubNames.Next("seed"), connectionString, HostProfile.Production with { EngineWorker = false }))
        {
            _ = seeder.Time; // creates our tables
            dueCases = await SeedRegisteredAsync(seeder, "D", n, ReleaseDay, midnightWorkflow - TimeSpan.FromHours(3), r => Routes[r % Routes.Length]);
            // Cases not due that night, all at 平远县大柘镇 (the API client's office): their acknowledgements are the commands sent during the drain.
            quietCases = await SeedRegisteredAsync(seeder, "Q", quietCount, ReleaseDay.AddDays(10), midnightWorkflow - TimeSpan.FromHours(3), _ => Routes[0]);
            using (Caller.As(Caller.Bench))
            {
                // One rebuild over all of them: a rebuild writes each county's sums from the cases it is given.
                await seeder.Services.GetRequiredService<RegionStatsStore>().RebuildAsync([.. dueCases, .. quietCases]);
            }
        }

        var dueIds = dueCases.Select(c => c.Case.CaseId).ToList();
        var quietIds = quietCases.Select(c => c.Case.CaseId).ToList();
        var counties = dueCases.Concat(quietCases).ToDictionary(c => c.Case.CaseId, c => c.County, StringComparer.Ordinal);

        var seedSeconds = seedWatch.Elapsed.TotalSeconds;

        // Every case row as written (version 1): a tick moves it on. Read before anything runs, so that a midnight reached while the
        // starts still run (the quiet is then negative, and reported) loses no tick.
        var table = new TableServiceClient(connectionString).GetTableClient(StorageNames.CasesTable); // unmetered
        var baseline = await CountyBurst.VersionsAsync(table);
        Machine.Say($"national ({workers} worker{(workers == 1 ? "" : "s")}): {n} + {quietCount} cases written to our tables in {seedSeconds:0} s");

        // The hosts whose clock reaches the midnight after the starts and their first episodes (estimated at NationalStartRate a second,
        // 20: a slow machine's pace; the backlog left at the midnight is reported) and the quiet.
        var gap = TimeSpan.FromSeconds(20 + (n + quietCount) / options.NationalStartRate) + Quiet;
        var profile = HostProfile.Production with { ClockStart = midnightWorkflow - gap };
        var hosts = new List<HandoffHost> { await HandoffHost.StartAsync(hub, connectionString, profile) };
        for (var i = 1; i < workers; i++)
        {
            hosts.Add(await HandoffHost.StartAsync(hub, connectionString, profile, hosts[0].Meter));
        }

        var api = hosts[0];
        var midnight = api.Time.Clock.ToReal(midnightWorkflow);
        var startWatch = Stopwatch.StartNew();
        var reconciler = api.Services.GetRequiredService<CaseReconciler>();
        await Wait.ForEachAsync(dueIds.Concat(quietIds), 32, async caseId =>
        {
            using (Caller.As(Caller.Client))
            {
                await reconciler.CheckNowAsync(api.Engine, caseId);
            }
        });
        var startSeconds = startWatch.Elapsed.TotalSeconds;
        var quiet = (midnight - TimeProvider.System.GetUtcNow()).TotalSeconds;
        if (quiet < 5)
        {
            Machine.Say($"national: the starts ended {5 - quiet:0} s before the midnight or after it (assumed {options.NationalStartRate} a second): the drain includes their backlog; "
                + "a lower --national-start-rate gives a clean midnight");
        }

        Machine.Say($"national: {n + quietCount} orchestrations started from our tables in {startSeconds:0} s ({(n + quietCount) / startSeconds:0.0} a second); the midnight in {quiet:0} s");

        var ids = dueIds.ToHashSet(StringComparer.Ordinal);
        await CountyBurst.DelayUntilAsync(midnight - TimeSpan.FromSeconds(5));
        if (quiet >= 5)
        {
            // A start from our tables commits nothing to the case: a row moved on before the midnight would be a tick before its time.
            var early = (await CountyBurst.VersionsAsync(table)).Count(v => ids.Contains(v.Key) && v.Value > baseline.GetValueOrDefault(v.Key));
            Machine.Say($"national: {early} case rows moved on before the midnight (0 expected)");
        }

        var owners = await OwnersAsync(connectionString, hub, hosts.Count);
        var pendingAtMidnight = await PendingAsync(connectionString, hub);
        var load = Machine.Load();
        await CountyBurst.DelayUntilAsync(midnight);
        var before = api.Meter.Snapshot();

        // The commands of the day go on: acknowledgements through the API, one after another, while the midnight drains.
        using var drained = new CancellationTokenSource();
        var commandMs = new ConcurrentBag<double>();
        var commandsFailed = 0;
        var commands = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            foreach (var caseId in quietIds)
            {
                if (drained.IsCancellationRequested)
                {
                    break;
                }

                try
                {
                    var answer = await HandoffApi.AcknowledgeAsync(api, caseId);
                    commandMs.Add(answer.Elapsed.TotalMilliseconds);
                }
                catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref commandsFailed);
                    Machine.Say($"national: an acknowledgement during the drain failed: {ex.Message[..Math.Min(200, ex.Message.Length)]}");
                }

                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        });

        // When each tick is applied: our own instrument, recorded by the activity once per deadline tick (handoff.timer.lateness), read
        // in process from both workers at no storage cost. (Reading the Cases table every few seconds, as the county midnight does for
        // 300 cases, took most of single-threaded Azurite's time at 3,000: national-3k-polling-starved.log.) Every 30 s the case rows
        // say whether every tick is in.
        var applied = new ConcurrentQueue<double>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HandoffTelemetry.Name && instrument.Name == "handoff.timer.lateness")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => applied.Enqueue((TimeProvider.System.GetUtcNow() - midnight).TotalSeconds));
        listener.Start();
        var moved = 0;
        var giveUpAt = midnight + TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(n / 2.0);
        var reported = 0;
        while (moved < ids.Count && TimeProvider.System.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            moved = (await CountyBurst.VersionsAsync(table)).Count(v => ids.Contains(v.Key) && v.Value > baseline.GetValueOrDefault(v.Key));
            if (applied.Count * 10 / ids.Count > reported || moved == ids.Count)
            {
                reported = applied.Count * 10 / ids.Count;
                Machine.Say($"national ({workers}): {applied.Count} ticks applied, {moved} of {ids.Count} case rows moved on after {(TimeProvider.System.GetUtcNow() - midnight).TotalSeconds:0} s");
            }
        }

        listener.Dispose();
        var window = api.Meter.Snapshot().Minus(before);
        drained.Cancel();
        await commands;

        // The outcome, from each case's record: its release-not-recorded escalation, opened at (not before) the deadline.
        var observed = new ConcurrentBag<Escalations.Observed>();
        var after = new ConcurrentBag<(string County, Case Case, int Version)>();
        await Wait.ForEachAsync(dueIds.Concat(quietIds), 32, async caseId =>
        {
            using (Caller.As(Caller.Bench))
            {
                var (record, _) = await api.Cases.LoadAsync(caseId);
                if (record is not null)
                {
                    after.Add((counties[caseId], record.State, record.Version));
                }

                foreach (var o in record is null ? [] : Escalations.Of(record.State, new HandoffPolicy().EscalationInterval)
                    .Where(o => o.What == $"{EscalationKind.ReleaseNotRecorded} opened"))
                {
                    observed.Add(o);
                }
            }
        });

        var result = new Midnight(workers, ids.Count, seedSeconds, startSeconds, quiet, [.. applied.OrderBy(a => a).Take(ids.Count)], observed.Select(o => o.CaseId).Distinct().Count(),
            observed.Count(o => o.At < o.Due), owners, pendingAtMidnight, [.. commandMs], commandsFailed, window, moved == ids.Count, load);
        Machine.Say($"national ({workers}): {result.Applied.Count} ticks in {result.DrainSeconds:0.0} s ({result.PerSecond:0.0}/s), {result.Escalated} escalated, "
            + $"{result.Early} early; {commandMs.Count} commands during the drain, p50 {Stats.Percentile([.. commandMs], 50):0} ms");
        return (result, hosts, [.. after]);
    }

    /// <summary>Registers <paramref name="count"/> cases for <paramref name="releaseDay"/> by the core and writes them as the activity does.</summary>
    private static async Task<List<(string County, Case Case, int Version)>> SeedRegisteredAsync(
        HandoffHost host, string prefix, int count, DateOnly releaseDay, DateTimeOffset registeredAt, Func<int, Route> route)
    {
        var environment = host.Services.GetRequiredService<WorkflowEnvironment>();
        var store = host.Cases;
        var index = host.Services.GetRequiredService<CaseIndexStore>();
        var cases = new ConcurrentBag<(string County, Case Case, int Version)>();
        await Wait.ForEachAsync(Enumerable.Range(0, count), 32, async i =>
        {
            var r = route(i);
            var person = new PersonRecord("张某某", "4414**********0000", "x", $"{host.Hub}-{prefix}{i}", r.County, r.County);
            var command = new RegisterRelease(new Actor(r.Centre, "bench"), $"HO-{prefix}{i:D11}", person, r.Office, r.Police, r.Authority, releaseDay, ReleaseType.Expiry, 3);
            var decision = CaseWorkflow.Decide(null, command, environment.Context(registeredAt));
            var c = decision.State ?? throw new InvalidOperationException($"registration {i} refused: {decision.Rejection}");
            var step = new CommandRecord
            {
                CommandId = $"r{prefix}{i}", Command = nameof(RegisterRelease), ReceivedAt = registeredAt, Status = CommandStatus.Applied, SentBy = r.Centre,
                Version = c.EventCount, Published = true,
            };
            using (Caller.As(Caller.Bench))
            {
                _ = await store.CommitAsync(null, new CaseRecord(c, c.EventCount, default), decision.Events, step)
                    ?? throw new InvalidOperationException($"case {c.CaseId} was there already");
                await index.UpsertAsync(c, null);
            }

            cases.Add((r.County, c, c.EventCount));
        });
        return [.. cases];
    }

    /// <summary>
    /// Open cases that wait far from any deadline that night (registered, acknowledged or released and reported in the year before):
    /// their index rows and figures only, as <see cref="DashboardCost"/> loads them — no case row, no orchestration.
    /// </summary>
    /// <param name="others">The hub's other cases as they stand: the figures are rebuilt over all of them and the parked ones.</param>
    private static async Task SeedParkedAsync(HandoffHost host, int from, int count, IReadOnlyList<(string County, Case Case, int Version)> others)
    {
        var environment = host.Services.GetRequiredService<WorkflowEnvironment>();
        var index = host.Services.GetRequiredService<CaseIndexStore>();
        var stats = host.Services.GetRequiredService<RegionStatsStore>();
        var random = new Random(23);
        var cases = new ConcurrentBag<(string County, Case Case, int Version)>();
        var done = 0;
        await Wait.ForEachAsync(Enumerable.Range(from, count), 32, async i =>
        {
            var r = Routes[i % Routes.Length];
            var registered = ChinaTime.StartOfDay(new DateOnly(2025, 3, 1).AddDays(i % 365)).AddHours(9);
            var person = new PersonRecord("李某某", "4414**********0000", "x", $"{host.Hub}-P{i}", r.County, r.County);
            var centre = new Actor(r.Centre, "bench");
            var office = new Actor(r.Office, "bench");
            var c = Step(null, new RegisterRelease(centre, $"HO-P{i:D11}", person, r.Office, r.Police, r.Authority,
                ChinaTime.LocalDate(registered).AddDays(10), ReleaseType.Expiry, 3), registered);
            if (i % 3 != 0)
            {
                c = Step(c, new AcknowledgeNotice(office), registered.AddHours(2));
                var released = ChinaTime.StartOfDay(c.ReleaseDate).AddHours(10);
                c = Step(c, new RecordRelease(centre, released, new CollectedBy(CollectorKind.Family, "李父")), released);
                c = Step(c, new RecordReport(office, released.AddDays(3)), released.AddDays(3));
            }

            using (Caller.As(Caller.Bench))
            {
                await index.UpsertAsync(c, null);
            }

            cases.Add((r.County, c, c.EventCount));
            if (Interlocked.Increment(ref done) % 10_000 == 0)
            {
                Machine.Say($"national: {done} parked cases written");
            }
        });
        using (Caller.As(Caller.Bench))
        {
            await stats.RebuildAsync([.. others, .. cases]);
        }

        Case Step(Case? current, CaseCommand command, DateTimeOffset at) => DashboardCost.Decided(environment, current, command, at);
    }

    /// <summary>Each page read 5 times signed in as its reader: storage requests per view (ours), time and size.</summary>
    private static async Task<List<PageView>> PagesAsync(HandoffHost host, int openCases)
    {
        var views = new List<PageView>();
        var year = ReleaseDay.Year;
        foreach (var (name, organisation, path, apiKey) in new (string, string, string, bool)[]
        {
            ("province dashboard (广东省禁毒办, a year)", "guangdong-nco", $"/supervisor?period=year&year={year}", false),
            ("a figure's case list (报到率, the province, a year)", "guangdong-nco", $"/supervisor/cases?region=440000&period=year&year={year}&measure=Report", false),
            ("the office's work list (平远县大柘镇, 1/8 of the cases)", "pingyuan-dazhe-office", "/office", false),
            ("API case list, first page (广东省禁毒办)", "guangdong-nco", "/api/cases", true),
        })
        {
            using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(5) };
            if (apiKey)
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", $"dev-{organisation}");
            }
            else
            {
                http.DefaultRequestHeaders.Add("Cookie", await DashboardCost.SignInAsync(host.Address, organisation));
            }

            var times = new List<double>();
            var bytes = 0;
            var before = host.Meter.Snapshot();
            const int Views = 5;
            for (var i = 0; i < Views; i++)
            {
                var watch = Stopwatch.StartNew();
                using var page = await http.GetAsync(path);
                bytes = (await page.Content.ReadAsByteArrayAsync()).Length;
                times.Add(watch.Elapsed.TotalMilliseconds);
                if (page.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{path} as {organisation} answered {(int)page.StatusCode}");
                }
            }

            var spent = host.Meter.Snapshot().Minus(before);
            var view = new PageView(name, openCases, Views, (double)spent.Total(Meter.Ours) / Views, Stats.Percentile(times, 50), times.Max(), bytes);
            views.Add(view);
            Machine.Say($"national pages at {openCases} open cases: {name}: {view.RequestsPerView:0.0} requests a view, p50 {view.MedianMs:0} ms");
        }

        return views;
    }

    /// <summary>Instances of the hub still Pending (started, their first episode not run).</summary>
    private static async Task<int> PendingAsync(string connectionString, string hub)
    {
        var pending = 0;
        await foreach (var _ in new TableClient(connectionString, hub + "Instances").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RuntimeStatus eq {"Pending"}"), select: ["PartitionKey"]))
        {
            pending++;
        }

        return pending;
    }

    /// <summary>How many of the hub's partitions each worker owns (the engine's table partition manager).</summary>
    private static async Task<IReadOnlyList<int>> OwnersAsync(string connectionString, string hub, int workers)
    {
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in new TableClient(connectionString, hub + "Partitions").QueryAsync<TableEntity>())
        {
            if (row.GetString("CurrentOwner") is { Length: > 0 } owner)
            {
                owners[owner] = owners.GetValueOrDefault(owner) + 1; // a partition no one owns yet is left out
            }
        }

        return [.. owners.OrderByDescending(o => o.Value).Select(o => o.Value).Concat(Enumerable.Repeat(0, Math.Max(0, workers - owners.Count)))];
    }
}
