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

    private static OrganisationDirectory Directory() => new(
        [new Organisation("hooked-office", OrganisationKind.CommunityOffice, RegionCode.Parse("441426"), "测试办公室", new Uri("https://hooks.example/handoff"))]);

    [Fact]
    public async Task Deliver_PostsSignedJsonWithDeliveryId()
    {
        var http = new RecordingHandler(_ => HttpStatusCode.OK);
        var rt = new Stores(azurite.ConnectionString);
        var handler = new WebhookHandler(new HttpClient(http), Directory(), new Dictionary<string, string> { ["hooked-office"] = "s3cret" });
        await rt.Clients.Queue(StorageNames.WebhookQueue).SendMessageAsync(
            System.Text.Json.JsonSerializer.Serialize(new WebhookDelivery(Notice("n-1")), CoreJson.Options));

        await rt.Pump(handler).PollOnceAsync(CancellationToken.None);

        var (request, body) = Assert.Single(http.Requests);
        Assert.Equal("n-1", request.Headers.GetValues(WebhookHandler.DeliveryHeader).Single());
        Assert.Equal(WebhookHandler.Sign(Encoding.UTF8.GetBytes(body), "s3cret"), request.Headers.GetValues(WebhookHandler.SignatureHeader).Single());
        Assert.Contains("\"id\":\"n-1\"", body);
        Assert.Equal(0, (await rt.Clients.Queue(StorageNames.WebhookQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Deliver_FailingEndpoint_RetriesWithSameIdThenDeadLetters()
    {
        var http = new RecordingHandler(_ => HttpStatusCode.ServiceUnavailable);
        var rt = new Stores(azurite.ConnectionString);
        var handler = new WebhookHandler(new HttpClient(http), Directory(), new Dictionary<string, string>());
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
