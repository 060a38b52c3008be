using DurableTask.AzureStorage;
using DurableTask.Core.History;
using Handoff.Api.Hosting;
using Handoff.SelfHost;
using Handoff.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Handoff.Workflow.Tests.Replay.Recording;

/// <summary>
/// The self-host's engine exactly as it wires it (<see cref="DurableEngine.AddDurableEngine"/>: DurableTask.Core's worker over
/// DurableTask.AzureStorage, the orchestration and activity through the SDK's shims, <see cref="SelfHostedClient"/>), on Azurite, in a
/// task hub of its own. Only the recorder uses it.
/// </summary>
public sealed class SelfHostedEngine : IAsyncDisposable
{
    private readonly IHost _host;

    private SelfHostedEngine(IHost host) => _host = host;

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public AzureStorageOrchestrationService Service => _host.Services.GetRequiredService<AzureStorageOrchestrationService>();

    public static async Task<SelfHostedEngine> StartAsync(string connectionString, Stores stores)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Handoff:Storage:ConnectionString"] = connectionString,
            ["Handoff:Durable:MaxQueuePollingInterval"] = "00:00:01",
            ["Handoff:Durable:PartitionCount"] = "1",
        });
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddSingleton(new TaskHubName("rec" + Guid.NewGuid().ToString("N")[..12]));
        builder.Services.AddSingleton(stores.Pending);
        builder.Services.AddSingleton(stores.Activity);
        builder.Services.AddSingleton(stores.Blocked);
        builder.Services.AddDurableEngine(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new SelfHostedEngine(host);
    }

    /// <summary>
    /// The engine's history of the instance's latest execution, as DurableTask.Core events. (An earlier execution's history is not
    /// kept: after <c>ContinueAsNew</c> the backend writes the new execution over the same rows.)
    /// </summary>
    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string instanceId) =>
        HistoryJson.ReadEngineHistory(await Service.GetOrchestrationHistoryAsync(instanceId, null!));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
