using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Handoff.Benchmarks.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.Benchmarks.Reporting;
using Handoff.Core.Cases;
using Handoff.Core.People;
using Handoff.Core.Regions;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Statistics;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Figure 6 (issue "Pages for the people"): the province supervisor's dashboard (广东省禁毒办, a year) over 1,000 and then 10,000
/// cases — storage requests per page view (the goal: independent of the number of cases), server time, and the page's weight with
/// its stylesheet and charts. The cases are decided by the real core (register, then for most acknowledge, release and report; a
/// fifth never report and are lost) over a year of registrations, spread over Guangdong's counties; their figures are loaded with
/// <see cref="RegionStatsStore.RebuildAsync"/> and their index rows with <see cref="CaseIndexStore.UpsertAsync"/>, as the activity
/// writes them, without running 10,000 orchestrations (Azurite would take hours).
/// </summary>
public static class DashboardCost
{
    public sealed record View(int Cases, int Views, double RequestsPerView, IReadOnlyList<(string Kind, long Count)> Kinds, IReadOnlyList<double> Milliseconds, int HtmlBytes);

    public sealed record Result(IReadOnlyList<View> Views, int HtmlBytes, int HtmlGzip, int AssetBytes, int AssetGzip, int Counties, string Load);

    public static async Task<Result> RunAsync(string connectionString, BenchOptions options)
    {
        var hub = HubNames.Next("pages");
        var meter = new Meter(hub);
        await using var host = await HandoffHost.StartAsync(hub, connectionString, HostProfile.Production with { Workers = false }, meter);
        var counties = host.Services.GetRequiredService<RegionCatalog>().Codes
            .Where(c => c.StartsWith("44", StringComparison.Ordinal) && !c.EndsWith("00", StringComparison.Ordinal)).ToList();
        var year = ChinaTime.LocalDate(host.Time.GetUtcNow()).Year;
        using var http = new HttpClient { BaseAddress = host.Address };
        http.DefaultRequestHeaders.Add("Cookie", await SignInAsync(host.Address, "guangdong-nco"));

        var views = new List<View>();
        var seeded = 0;
        var random = new Random(7);
        string html = "";
        foreach (var target in new[] { options.Quick ? 300 : 1_000, options.Quick ? 3_000 : 10_000 })
        {
            await SeedAsync(host, counties, seeded, target - seeded, year, random);
            seeded = target;
            Machine.Say($"dashboard: {seeded} cases loaded");
            var times = new List<double>();
            var before = meter.Snapshot();
            const int Views = 10;
            for (var i = 0; i < Views; i++)
            {
                var watch = Stopwatch.StartNew();
                using var page = await http.GetAsync($"/supervisor?period=year&year={year}");
                html = await page.Content.ReadAsStringAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
                if (page.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"dashboard answered {(int)page.StatusCode}");
                }
            }

            var spent = meter.Snapshot().Minus(before);
            views.Add(new View(seeded, Views, (double)spent.Total(Meter.Ours) / Views, spent.ByKind(Meter.Ours), times, Encoding.UTF8.GetByteCount(html)));
            Machine.Say($"dashboard over {seeded} cases: {(double)spent.Total(Meter.Ours) / Views:0.0} storage requests a view, {Stats.Spread(times)} ms");
        }

        var assets = new List<byte[]>();
        foreach (var name in new[] { "handoff.css", "chart.umd.min.js", "dashboard.js" })
        {
            assets.Add(await http.GetByteArrayAsync($"/assets/{name}"));
        }

        var htmlBytes = Encoding.UTF8.GetBytes(html);
        return new Result(views, htmlBytes.Length, Gzip(htmlBytes), assets.Sum(a => a.Length), assets.Sum(Gzip), counties.Count, Machine.Load());
    }

    private static async Task SeedAsync(HandoffHost host, IReadOnlyList<string> counties, int from, int count, int year, Random random)
    {
        var environment = host.Services.GetRequiredService<WorkflowEnvironment>();
        var index = host.Services.GetRequiredService<CaseIndexStore>();
        var stats = host.Services.GetRequiredService<RegionStatsStore>();
        var centre = new Actor("meizhou-centre", "bench");
        var office = new Actor("pingyuan-dazhe-office", "bench");
        var cases = new List<(string County, Case Case, int Version)>();
        for (var i = from; i < from + count; i++)
        {
            var registered = ChinaTime.StartOfDay(new DateOnly(year, 1, 1).AddDays(random.Next(0, 340))).AddHours(9);
            var person = new PersonRecord("张某某", "4414**********0000", "x", $"bench-{i}", "441426", "441426");
            var c = Step(null, new RegisterRelease(centre, $"HO-BENCH{i:D8}", person, "pingyuan-dazhe-office", "pingyuan-dazhe-police", "meizhou-psb",
                ChinaTime.LocalDate(registered).AddDays(10), ReleaseType.Expiry, 3), registered);
            var path = i % 5;
            if (path != 0)
            {
                c = Step(c, new AcknowledgeNotice(office), registered.AddHours(2));
                var released = ChinaTime.StartOfDay(c.ReleaseDate).AddHours(10);
                c = Step(c, new RecordRelease(centre, released, new CollectedBy(CollectorKind.Family, "张父")), released);
                c = path == 1 ? Step(c, new Tick(), released.AddDays(30)) : Step(c, new RecordReport(office, released.AddDays(3)), released.AddDays(3));
            }

            cases.Add((counties[random.Next(counties.Count)], c, c.EventCount));
        }

        await stats.RebuildAsync(cases);
        await Wait.ForEachAsync(cases, 16, async item => await index.UpsertAsync(item.Case, null));

        Case Step(Case? current, CaseCommand command, DateTimeOffset at) => Decided(environment, current, command, at);
    }

    /// <summary>The case after <paramref name="command"/>, decided by the real core at <paramref name="at"/>; a refusal throws.</summary>
    internal static Case Decided(WorkflowEnvironment environment, Case? current, CaseCommand command, DateTimeOffset at) =>
        CaseWorkflow.Decide(current, command, environment.Context(at)).State ?? throw new InvalidOperationException($"{command.GetType().Name} refused");

    /// <summary>Signs in through the development sign-in, as a browser would, and returns the session cookie.</summary>
    internal static async Task<string> SignInAsync(Uri address, string organisation)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = address };
        using var response = await client.GetAsync($"/signin/dev/{organisation}");
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    private static int Gzip(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return (int)buffer.Length;
    }
}
