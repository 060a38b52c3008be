using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Notices.Channels;
using Handoff.Development;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Notices.Channels;
using Handoff.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Storage.Tests.Notices;

/// <summary>
/// One organisation's channels against Azurite and a <see cref="FakeRobotServer"/> that shares the test's clock, so that rate windows,
/// throttles and back-off pass in fake time while every request is real HTTP and every record a real table row. Each rig has its own
/// organisation id, so its channel partitions are its own in the shared emulator.
/// </summary>
internal sealed class ChannelRig : IAsyncDisposable
{
    public static readonly Uri LinkBase = new("https://handoff.example.gov.cn/");

    private ChannelRig(string connectionString, FakeRobotServer robots, FakeTimeProvider time, string org, IReadOnlyList<ChannelTarget> targets, ChannelDeliveryOptions options, HttpMessageHandler? http, IReadOnlyList<string>? mentions, SmtpSettings? smtp, System.Net.Security.RemoteCertificateValidationCallback? certificates)
    {
        Robots = robots;
        Time = time;
        Org = org;
        Options = options;
        Clients = StorageClients.FromConnectionString(connectionString);
        Directory = new ChannelDirectory(targets, new Dictionary<string, IReadOnlyList<string>> { [org] = mentions ?? [] }, LinkBase, smtp);
        Store = new ChannelStore(Clients);
        Http = http ?? new SocketsHttpHandler { UseProxy = false };
        Sender = new ChannelSender(new OneClient(Http, options.SendTimeout), Directory, time, certificates);
        Handler = new ChannelHandler(Store, Directory, Sender, Clients, time, NullLogger<ChannelHandler>.Instance, options);
        Dispatcher = new NoticeDispatcher(Clients, new InboxStore(Clients), TestData.Orgs, channels: Directory, channelStore: Store, delivery: options, realTime: time);
    }

    public FakeRobotServer Robots { get; }

    public FakeTimeProvider Time { get; }

    public string Org { get; }

    public ChannelDeliveryOptions Options { get; }

    public StorageClients Clients { get; }

    public ChannelDirectory Directory { get; }

    public ChannelStore Store { get; }

    public HttpMessageHandler Http { get; }

    public ChannelSender Sender { get; }

    public ChannelHandler Handler { get; }

    public NoticeDispatcher Dispatcher { get; }

    public ChannelTarget Target => Directory.All[0];

    /// <summary>A rig whose organisation has the channels <paramref name="targets"/> builds from the started robot server and the org id.</summary>
    public static async Task<ChannelRig> StartAsync(
        AzuriteFixture azurite, Func<FakeRobotServer, string, IEnumerable<ChannelTarget>> targets, HttpMessageHandler? http = null,
        IReadOnlyList<string>? mentions = null, ChannelDeliveryOptions? options = null, SmtpSettings? smtp = null,
        System.Net.Security.RemoteCertificateValidationCallback? certificates = null, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));
        var robots = await FakeRobotServer.StartAsync(time);
        var org = "t" + Guid.NewGuid().ToString("N")[..12];
        return new ChannelRig(azurite.ConnectionString, robots, time, org, [.. targets(robots, org)], options ?? new ChannelDeliveryOptions(), http, mentions, smtp, certificates);
    }

    public static ChannelTarget Robot(string org, ChannelPlatform platform, Uri url, string? secret = null) =>
        new(org, platform, url, secret, [], ChannelDirectory.DefaultKinds, ChannelLimits.For(platform));

    /// <summary>A first-level escalation of a missed report to the rig's organisation, named <paramref name="person"/>.</summary>
    public Notice Escalation(string person, int level = 1, string? id = null) => new(
        id ?? $"HO-{Guid.NewGuid():N}-E1-L{level}-{Org}", "HO-7K2M9Q4T1BXR", Org, NoticeKind.Escalation, "HO-7K2M9Q4T1BXR-E1", EscalationKind.NotReported, level,
        $"【逾期未报到·第{level}级督办】{person}",
        $"{person}（身份证号4414**********1234）已于2026年3月2日出所，应于2026年3月17日 24:00前报到（《戒毒条例》第三十八条，15日内），至今未报到。\n截止时间：2026年3月17日 24:00；已逾期1小时。\n督办级别：第{level}级。",
        Time.GetUtcNow());

    /// <summary>Runs the channel's sender as wake-ups would, moving the clock to each wake-up, until nothing waits (or the rounds run out).</summary>
    public async Task DrainAsync(ChannelTarget target, int rounds = 200)
    {
        for (var i = 0; i < rounds; i++)
        {
            await Handler.RunAsync(target, CancellationToken.None);
            if (await Store.PendingCountAsync(target.Key, 1) == 0)
            {
                return;
            }

            var (state, _) = await Store.ReadStateAsync(target.Key);
            var now = Time.GetUtcNow();
            var next = new[] { state.WakeAt, state.NotBefore, state.Claim is { } c ? c.At + Options.ClaimTimeout : null }
                .Where(t => t > now).DefaultIfEmpty(now + TimeSpan.FromSeconds(1)).Min()!.Value;
            Time.Advance(next - now);
        }

        throw new InvalidOperationException($"Channel {target.Key} still had notices waiting after {rounds} rounds.");
    }

    public async ValueTask DisposeAsync()
    {
        await Robots.DisposeAsync();
        Http.Dispose();
    }

    private sealed class OneClient(HttpMessageHandler handler, TimeSpan timeout) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = timeout };
    }
}
