using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Handoff.Benchmarks.Reporting;
using Handoff.Core.Notices;
using Handoff.Core.Notices.Channels;
using Handoff.Core.Organisations;
using Handoff.Development;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Notices.Channels;
using Handoff.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace Handoff.Benchmarks.Measurements;

/// <summary>
/// Figure 7 (issue 22, "a burst of 1,000 escalation notices to 10 robots — messages sent, time to drain, and that no robot ever
/// exceeded its limit"): 4 WeCom, 3 DingTalk and 3 Feishu robots (the last two signing) on <see cref="FakeRobotServer"/>, which enforces
/// each platform's published limit and records every request. Delivery is wired as the hosts wire it (HandoffServices, "Group robots and
/// e-mail"): the dispatcher queues each notice in its channel and wakes it after the gather delay; two queue pumps (two workers sharing
/// <c>handoff-channels</c>, each with its own handler) send. A county's midnight: 100 notices a robot, interleaved (each call carries
/// one notice for each robot), dispatched in calls of 10 by 8 concurrent callers. Storage requests are counted on the product's clients
/// only (the dispatcher's and the workers'); the benchmark's own reads go through uncounted clients.
/// </summary>
public static class ChannelBurst
{
    public const int Robots = 10;
    public const int NoticesPerRobot = 100;
    public const int Chunk = 10;
    public const int Callers = 8;
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    /// <summary>One robot: what it got, against its limits. Seconds are from the first dispatch.</summary>
    public sealed record Robot(
        ChannelPlatform Platform, string Organisation, string Key, int PublishedPerMinute, int PublishedPerSecond, ChannelLimits Ours,
        int Notices, int Accepted, int Rejected, int OverLimit, IReadOnlyList<int> NoticesPerMessage, int MaxIn60s, int MaxIn1s,
        double FirstSentSeconds, double LastSentSeconds, int SentDuringDispatch, double LongestGapSeconds, IReadOnlyList<string> Missing, IReadOnlyList<string> Duplicated, IReadOnlyList<string> Stray,
        long StateMessages, long StateSent, bool ClaimLeft, IReadOnlyList<string> RejectedCodes);

    public sealed record Result(
        IReadOnlyList<Robot> Robots, int Notices, double DispatchSeconds, IReadOnlyList<double> DispatchCallMs, double SettledSeconds, bool Complete,
        IReadOnlyDictionary<string, int> Statuses, IReadOnlyList<string> NotSent, long DispatchRequests, long DeliveryRequests,
        IReadOnlyList<(string Kind, long Count)> DispatchKinds, IReadOnlyList<(string Kind, long Count)> DeliveryKinds, int Poison,
        IReadOnlyDictionary<string, long> Complaints, string Load)
    {
        /// <summary>From the first dispatch to the last accepted message of all robots (or of one platform).</summary>
        public double DrainSeconds(ChannelPlatform? platform = null) =>
            Robots.Where(r => platform is null || r.Platform == platform).Select(r => r.LastSentSeconds).DefaultIfEmpty(double.NaN).Max();

        /// <summary>Sending one message per notice at our per-minute limit, in seconds: the slowest robot (robots send in parallel).</summary>
        public double OnePerNoticeSeconds(ChannelPlatform? platform = null) =>
            Robots.Where(r => platform is null || r.Platform == platform).Select(r => r.Notices * 60.0 / r.Ours.PerMinute).DefaultIfEmpty(double.NaN).Max();

        public double RequestsPerNotice => (DispatchRequests + DeliveryRequests) / (double)Notices;
    }

    private static readonly Regex Marker = new(@"人员(\d{4})号", RegexOptions.Compiled);

    public static async Task<Result> RunAsync(string connectionString, BenchOptions options)
    {
        _ = options; // --quick runs the same size: the burst is the issue's, and it takes a minute or two.
        await using var robots = await FakeRobotServer.StartAsync();
        var plan = Plan(robots);

        // The product's clients, counted (one counter for the dispatcher, one for the two workers), and the benchmark's own, not counted.
        var dispatchCounter = new StorageRequestCounter();
        var deliveryCounter = new StorageRequestCounter();
        var dispatchClients = StorageClients.FromConnectionString(connectionString, dispatchCounter.For);
        await dispatchClients.EnsureCreatedAsync();
        var bench = StorageClients.FromConnectionString(connectionString);
        var checker = new ChannelStore(bench);

        var directory = new ChannelDirectory(
            [.. plan.Select(p => new ChannelTarget(p.Organisation, p.Platform, p.Url, p.Secret, [], ChannelDirectory.DefaultKinds, ChannelLimits.For(p.Platform)))],
            new Dictionary<string, IReadOnlyList<string>>(), new Uri("https://handoff.example.gov.cn/"), smtp: null);

        // The dispatcher only looks organisations up for a webhook (Find → null: none); inbox rows and feed messages are written as for any notice.
        var dispatcher = new NoticeDispatcher(
            dispatchClients, new InboxStore(dispatchClients), new OrganisationDirectory([]), channels: directory, channelStore: new ChannelStore(dispatchClients));

        var complaints = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var http = new RobotClients();
        using var stop = new CancellationTokenSource();
        var pumps = Enumerable.Range(0, 2).Select(_ =>
        {
            var clients = StorageClients.FromConnectionString(connectionString, deliveryCounter.For);
            var store = new ChannelStore(clients);
            var sender = new ChannelSender(http, directory, TimeProvider.System);
            var handler = new ChannelHandler(store, directory, sender, clients, TimeProvider.System, new Complaints<ChannelHandler>(complaints), new ChannelDeliveryOptions());
            return Task.Run(() => new QueuePump(clients, handler, TimeProvider.System, new QueueHealth(), new Complaints<QueuePump>(complaints),
                new QueuePumpOptions { MaxIdleDelay = TimeSpan.FromSeconds(1) }).RunAsync(stop.Token));
        }).ToList();

        var notices = Notices(plan);
        var chunks = notices.Chunk(Chunk).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2)); // the pumps' first polls
        dispatchCounter.Reset();
        deliveryCounter.Reset();
        Machine.Say($"channels: {notices.Count} escalation notices to {plan.Count} robots, {chunks.Count} dispatches of {Chunk} by {Callers} callers");

        var started = TimeProvider.System.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var callMs = new ConcurrentBag<double>();
        await Wait.ForEachAsync(chunks, Callers, async chunk =>
        {
            var call = Stopwatch.StartNew();
            await dispatcher.DispatchAsync(chunk);
            callMs.Add(call.Elapsed.TotalMilliseconds);
        });
        var dispatchSeconds = watch.Elapsed.TotalSeconds;
        var dispatched = TimeProvider.System.GetUtcNow();
        Machine.Say($"channels: dispatched in {dispatchSeconds:0.0} s; waiting for every channel to drain");

        // Settled: no pending row in any channel (a claimed notice keeps its pending row until its answer is recorded).
        var complete = false;
        while (watch.Elapsed < Timeout)
        {
            var waiting = await Task.WhenAll(plan.Select(p => checker.PendingCountAsync(p.Key, 1)));
            if (waiting.All(w => w == 0))
            {
                complete = true;
                break;
            }

            await Task.Delay(250);
        }

        var settledSeconds = watch.Elapsed.TotalSeconds;
        var (dispatchRequests, deliveryRequests) = (dispatchCounter.Total, deliveryCounter.Total);
        var (dispatchKinds, deliveryKinds) = (Kinds(dispatchCounter), Kinds(deliveryCounter));
        Machine.Say(complete
            ? $"channels: every channel drained after {settledSeconds:0.0} s; checking all {notices.Count} notices"
            : $"channels: **not drained** after {Timeout.TotalMinutes:0} min");

        // Every notice's record in its channel.
        var statuses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var notSent = new ConcurrentBag<string>();
        await Wait.ForEachAsync(notices, 16, async n =>
        {
            var record = await checker.FindAsync(ChannelTarget.KeyOf(n.RecipientId, plan.Single(p => p.Organisation == n.RecipientId).Platform), n.Id);
            var status = record?.Status ?? "missing";
            statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
            if (status != ChannelNoticeStatus.Sent)
            {
                notSent.Add($"{n.Id} {status}{(record?.Error is { } e ? " " + e : "")}");
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(3)); // anything still on its way arrives and is recorded before the robots are read
        await stop.CancelAsync();
        await Task.WhenAll(pumps);
        var poisonQueue = bench.Queue(StorageNames.Poison(StorageNames.ChannelQueue));
        var poison = (await poisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

        var received = robots.Received;
        var rejected = robots.Rejected;
        var results = new List<Robot>();
        foreach (var p in plan)
        {
            var mine = received.Where(d => d.Robot == p.Id).OrderBy(d => d.At).ToList();
            var refused = rejected.Where(d => d.Robot == p.Id).ToList();
            var expected = notices.Where(n => n.RecipientId == p.Organisation).Select(n => Number(n.Title)).ToHashSet(StringComparer.Ordinal);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var perMessage = new List<int>();
            foreach (var delivery in mine)
            {
                // Distinct: a message carries a notice once, though it may show its title twice (钉钉's actionCard: the card title and
                // the text's heading).
                var matches = Marker.Matches(Text(delivery.Body)).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
                perMessage.Add(matches.Count);
                foreach (var number in matches)
                {
                    seen[number] = seen.GetValueOrDefault(number) + 1;
                }
            }

            var at = mine.Select(d => d.At).ToList();
            var (state, _) = await checker.ReadStateAsync(p.Key);
            results.Add(new Robot(
                p.Platform, p.Organisation, p.Key, p.PublishedPerMinute, p.PublishedPerSecond, ChannelLimits.For(p.Platform),
                expected.Count, mine.Count, refused.Count, robots.OverLimit(p.Id), perMessage, MaxWithin(at, TimeSpan.FromMinutes(1)), MaxWithin(at, TimeSpan.FromSeconds(1)),
                at.Count == 0 ? double.NaN : (at[0] - started).TotalSeconds, at.Count == 0 ? double.NaN : (at[^1] - started).TotalSeconds,
                at.Count(a => a <= dispatched), at.Zip(at.Skip(1), (a, b) => (b - a).TotalSeconds).DefaultIfEmpty(0).Max(),
                [.. expected.Where(e => !seen.ContainsKey(e)).Order()], [.. seen.Where(s => s.Value > 1 && expected.Contains(s.Key)).Select(s => $"{s.Key}×{s.Value}").Order()],
                [.. seen.Keys.Where(s => !expected.Contains(s)).Order()],
                state.Messages, state.Sent, state.Claim is not null, [.. refused.Select(r => $"{r.Code} {r.Error}")]));
        }

        var result = new Result(
            results, notices.Count, dispatchSeconds, [.. callMs], settledSeconds, complete, new Dictionary<string, int>(statuses), [.. notSent.Order().Take(20)],
            dispatchRequests, deliveryRequests, dispatchKinds, deliveryKinds, poison, new Dictionary<string, long>(complaints), Machine.Load());
        Machine.Say($"channels: {results.Sum(r => r.Accepted)} messages, drained {result.DrainSeconds():0.0} s after the first dispatch (one message per notice at our limit: "
            + $"{result.OnePerNoticeSeconds() / 60:0.0} min); rejected {results.Sum(r => r.Rejected)}, over limit {results.Sum(r => r.OverLimit)}; "
            + $"{result.RequestsPerNotice:0.0} storage requests a notice; statuses {string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}"))}");
        return result;
    }

    /// <summary>The most messages in any sliding window of <paramref name="length"/>, (t − length, t], as the fake counts them.</summary>
    public static int MaxWithin(IReadOnlyList<DateTimeOffset> sorted, TimeSpan length)
    {
        var max = 0;
        for (int i = 0, first = 0; i < sorted.Count; i++)
        {
            while (sorted[i] - sorted[first] >= length)
            {
                first++;
            }

            max = Math.Max(max, i - first + 1);
        }

        return max;
    }

    private sealed record Planned(ChannelPlatform Platform, string Organisation, string Id, Uri Url, string? Secret, int PublishedPerMinute, int PublishedPerSecond)
    {
        public string Key => ChannelTarget.KeyOf(Organisation, Platform);
    }

    private static List<Planned> Plan(FakeRobotServer robots)
    {
        var plan = new List<Planned>();
        for (var i = 1; i <= Robots; i++)
        {
            var organisation = $"bench-org-{i:D2}";
            var id = Guid.NewGuid().ToString("N");
            var secret = "SEC" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            plan.Add(i switch
            {
                <= 4 => new Planned(ChannelPlatform.WeCom, organisation, id, robots.AddWeComRobot(id), null, 20, 0),
                <= 7 => new Planned(ChannelPlatform.DingTalk, organisation, id, robots.AddDingTalkRobot(id, secret), secret, 20, 0),
                _ => new Planned(ChannelPlatform.Feishu, organisation, id, robots.AddFeishuRobot(id, secret), secret, 100, 5),
            });
        }

        return plan;
    }

    /// <summary>
    /// 100 escalation notices a robot, as the composer writes them (a second-level 逾期未报到 of one person each), interleaved so each
    /// dispatch of 10 carries one for every robot. The person's number is in the title only, so a message carries it once per notice.
    /// </summary>
    private static List<Notice> Notices(IReadOnlyList<Planned> plan)
    {
        var midnight = new DateTimeOffset(2026, 3, 17, 16, 0, 0, TimeSpan.Zero); // 2026-03-18 00:00 Asia/Shanghai
        var notices = new List<Notice>();
        for (var n = 1; n <= plan.Count * NoticesPerRobot; n++)
        {
            var robot = plan[(n - 1) % plan.Count];
            var caseId = $"HO-BENCH{n:D8}";
            var escalationId = $"{caseId}-E1";
            var body = "该人员于2026年3月2日解除强制隔离戒毒，应于解除之日起15日内到户籍地社区戒毒（康复）工作办公室报到，至今未报到。"
                + "\n截止时间：2026年3月17日 24:00；已逾期1小时。"
                + "\n督办级别：第2级（送县禁毒委员会办公室）；首次发出：2026年3月17日 24:00。"
                + "\n请立即核查落实，并在系统中登记处理结果。";
            notices.Add(new Notice(
                $"{escalationId}-L2-{robot.Organisation}", caseId, robot.Organisation, NoticeKind.Escalation, escalationId, Core.Cases.EscalationKind.NotReported, 2,
                $"【逾期未报到·第2级督办】人员{n:D4}号", body, midnight.AddHours(1)));
        }

        return notices;
    }

    private static string Number(string title) => Marker.Match(title).Groups[1].Value;

    /// <summary>Every string in a robot's JSON body, joined (escaped characters decoded).</summary>
    private static string Text(string json)
    {
        var parts = new List<string>();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    parts.Add(e.GetString()!);
                    break;
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        Walk(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement);
        return string.Join("\n", parts);
    }

    private static List<(string Kind, long Count)> Kinds(StorageRequestCounter counter) =>
        [.. counter.ByKind.OrderByDescending(k => k.Value).Select(k => (k.Key, k.Value))];

    /// <summary>The robots' HTTP client, as <c>AddChannelClient</c> makes it: one handler, no proxy, no redirects, a 10 s timeout.</summary>
    private sealed class RobotClients : IHttpClientFactory, IDisposable
    {
        private readonly SocketsHttpHandler _handler = new() { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

        public HttpClient CreateClient(string name) => new(_handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(10) };

        public void Dispose() => _handler.Dispose();
    }

    /// <summary>Counts the pumps' and handlers' warnings and errors (throttles, retries, uncertain sends, failed polls) for the report.</summary>
    private sealed class Complaints<T>(ConcurrentDictionary<string, long> counts) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            // Numbers (times, counts, keys' digits) replaced, so that one kind of complaint is one line.
            var text = Regex.Replace((exception?.Message ?? formatter(state, exception)).Split('\n')[0], @"\d+", "#");
            var key = $"{typeof(T).Name} {logLevel} {eventId.Id}: {(text.Length > 140 ? text[..140] + "…" : text)}";
            counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
    }
}
