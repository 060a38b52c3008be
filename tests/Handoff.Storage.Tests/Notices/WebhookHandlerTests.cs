using System.Net;
using System.Text;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Core.Serialization;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Notices;

[Collection(AzuriteCollection.Name)]
public class WebhookHandlerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    public Task InitializeAsync() => azurite.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Notice Notice(string id) => new(id, "HO-0000000000AB", "hooked-office", NoticeKind.ReleaseNotice, null, null, null, "标题", "正文", Beijing(2026, 2, 20));

    private sealed class RecordingHandler(Func<int, HttpStatusCode> answer) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request, await request.Content!.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(answer(Requests.Count));
        }
    }

    private static OrganisationDirectory Directory(string webhook = "https://hooks.example/handoff") => new(
        [new Organisation("hooked-office", OrganisationKind.CommunityOffice, RegionCode.Parse("441426"), "测试办公室", new Uri(webhook))]);

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private static readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8)));

    [Fact]
    public async Task Deliver_SignsTheTimestampWithTheBody_SoACapturedDeliveryCannotBeReplayedLater()
    {
        var http = new RecordingHandler(_ => HttpStatusCode.OK);
        var rt = new Stores(azurite.ConnectionString);
        var handler = new WebhookHandler(new Factory(http), Directory(), new Dictionary<string, string> { ["hooked-office"] = "s3cret" }, Clock);
        await rt.Clients.Queue(StorageNames.WebhookQueue).SendMessageAsync(
            System.Text.Json.JsonSerializer.Serialize(new WebhookDelivery(Notice("n-3")), CoreJson.Options));

        await rt.Pump(handler).PollOnceAsync(CancellationToken.None);

        var (request, body) = Assert.Single(http.Requests);
        var timestamp = request.Headers.GetValues(WebhookHandler.TimestampHeader).Single();
        var signature = request.Headers.GetValues(WebhookHandler.SignatureHeader).Single();
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.True(WebhookHandler.Verify(bytes, timestamp, signature, "s3cret", Clock.GetUtcNow().AddMinutes(4)));
        Assert.False(WebhookHandler.Verify(bytes, timestamp, signature, "s3cret", Clock.GetUtcNow().Add(WebhookHandler.ReplayWindow).AddSeconds(1)), "replayed after the window");
        Assert.False(WebhookHandler.Verify(bytes, (long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) + 600).ToString(System.Globalization.CultureInfo.InvariantCulture), signature, "s3cret", Clock.GetUtcNow().AddMinutes(10)), "timestamp swapped");
        Assert.False(WebhookHandler.Verify([.. bytes, (byte)' '], timestamp, signature, "s3cret", Clock.GetUtcNow()), "body altered");
    }

    [Fact]
    public async Task Deliver_AnsweredWithARedirect_FailsAndDoesNotFollowIt()
    {
        using var listener = new System.Net.HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var paths = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (!listener.IsListening)
                {
                    return;
                }

                paths.Enqueue(context.Request.Url!.AbsolutePath);
                context.Response.StatusCode = context.Request.Url.AbsolutePath == "/hook" ? 307 : 200;
                context.Response.RedirectLocation = $"http://127.0.0.1:{port}/elsewhere";
                context.Response.Close();
            }
        });
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddWebhookClient();
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var factory = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IHttpClientFactory>(provider);
        var handler = new WebhookHandler(factory, Directory($"http://127.0.0.1:{port}/hook"), new Dictionary<string, string> { ["hooked-office"] = "s3cret" }, Clock);
        var message = Azure.Storage.Queues.Models.QueuesModelFactory.QueueMessage("m", "r",
            System.Text.Json.JsonSerializer.Serialize(new WebhookDelivery(Notice("n-4")), CoreJson.Options), 1);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => handler.HandleAsync(message, CancellationToken.None));

        listener.Stop();
        Assert.Equal(HttpStatusCode.TemporaryRedirect, error.StatusCode);
        Assert.Equal(["/hook"], paths.ToArray());
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Deliver_PostsSignedJsonWithDeliveryId()
    {
        var http = new RecordingHandler(_ => HttpStatusCode.OK);
        var rt = new Stores(azurite.ConnectionString);
        var handler = new WebhookHandler(new Factory(http), Directory(), new Dictionary<string, string> { ["hooked-office"] = "s3cret" }, Clock);
        await rt.Clients.Queue(StorageNames.WebhookQueue).SendMessageAsync(
            System.Text.Json.JsonSerializer.Serialize(new WebhookDelivery(Notice("n-1")), CoreJson.Options));

        await rt.Pump(handler).PollOnceAsync(CancellationToken.None);

        var (request, body) = Assert.Single(http.Requests);
        Assert.Equal("n-1", request.Headers.GetValues(WebhookHandler.DeliveryHeader).Single());
        Assert.True(WebhookHandler.Verify(Encoding.UTF8.GetBytes(body), request.Headers.GetValues(WebhookHandler.TimestampHeader).Single(),
            request.Headers.GetValues(WebhookHandler.SignatureHeader).Single(), "s3cret", Clock.GetUtcNow()));
        Assert.Contains("\"id\":\"n-1\"", body);
        Assert.Equal(0, (await rt.Clients.Queue(StorageNames.WebhookQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Deliver_FailingEndpoint_RetriesWithSameIdThenDeadLetters()
    {
        var http = new RecordingHandler(_ => HttpStatusCode.ServiceUnavailable);
        var rt = new Stores(azurite.ConnectionString);
        var handler = new WebhookHandler(new Factory(http), Directory(), new Dictionary<string, string>(), Clock);
        var pump = rt.Pump(handler, new Handoff.Storage.Queues.QueuePumpOptions { Lease = TimeSpan.FromSeconds(1), BackoffBase = TimeSpan.Zero });
        await rt.Clients.Queue(StorageNames.WebhookQueue).SendMessageAsync(
            System.Text.Json.JsonSerializer.Serialize(new WebhookDelivery(Notice("n-2")), CoreJson.Options));

        for (var i = 0; i < 100 && http.Requests.Count < handler.MaxFailures; i++)
        {
            await pump.PollOnceAsync(CancellationToken.None);
        }

        Assert.Equal(handler.MaxFailures, http.Requests.Count);
        Assert.All(http.Requests, r => Assert.Equal("n-2", r.Request.Headers.GetValues(WebhookHandler.DeliveryHeader).Single()));
        var dead = (await rt.Clients.Queue(StorageNames.Poison(StorageNames.WebhookQueue)).PeekMessagesAsync()).Value;
        Assert.Contains("n-2", Assert.Single(dead).Body.ToString());
    }
}
