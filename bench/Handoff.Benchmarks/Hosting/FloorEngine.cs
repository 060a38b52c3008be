using DurableTask.AzureStorage;
using DurableTask.Core;
using Handoff.Api.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.SelfHost;
using Handoff.Storage.Infrastructure;
using Handoff.Workflow;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Handoff.Benchmarks.Hosting;

/// <summary>
/// The engine alone, as the self-host runs it (<see cref="AzureStorageOrchestrationService"/> under DurableTask.Core's
/// <see cref="TaskHubWorker"/>, the SDK's shims, the same <see cref="WorkflowJson"/> converter, the same storage clients from
/// <see cref="EngineStorage"/>) with the benchmark's <see cref="FloorOrchestrations"/> instead of the case's. <see cref="Client"/>
/// shares the worker's service (an event raised in the process that owns the partition); <see cref="OtherClient"/> is a second
/// service on the same hub that runs no worker (an event raised by another instance).
/// </summary>
public sealed class FloorEngine : IAsyncDisposable
{
    private readonly TaskHubWorker _worker;
    private readonly AzureStorageOrchestrationService _other;
    private readonly ILoggerFactory _loggers;

    private FloorEngine(TaskHubWorker worker, AzureStorageOrchestrationService service, AzureStorageOrchestrationService other, Meter meter, ILoggerFactory loggers)
    {
        _worker = worker;
        _other = other;
        _loggers = loggers;
        Meter = meter;
        Client = new SelfHostedClient(service, WorkflowJson.Converter, TimeProvider.System);
        OtherClient = new SelfHostedClient(other, WorkflowJson.Converter, TimeProvider.System);
    }

    public Meter Meter { get; }

    public DurableTaskClient Client { get; }

    public DurableTaskClient OtherClient { get; }

    public static async Task<FloorEngine> StartAsync(string hub, string connectionString, FloorProfile profile, FloorSignals signals)
    {
        var meter = new Meter(hub);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageConnection.ConnectionStringKey] = connectionString }).Build();
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(EngineLog.Instance));
        var service = new AzureStorageOrchestrationService(Settings(hub, configuration, profile, meter, loggers));
        var other = new AzureStorageOrchestrationService(Settings(hub, configuration, profile, meter, loggers));
        var writes = StorageClients.FromConnectionString(connectionString, observer: s => meter.Policy(Meter.Ours, s));
        await writes.Tables.CreateTableIfNotExistsAsync(FloorOrchestrations.Table);
        await service.CreateIfNotExistsAsync();

        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions
        {
            DataConverter = WorkflowJson.Converter,
            MaximumTimerInterval = profile.MaximumTimerInterval ?? new DurableSettings().MaximumTimerInterval,
        }, loggers);
        var worker = new TaskHubWorker(service, loggers);
        worker.AddTaskOrchestrations(
            Orchestration(shims, FloorOrchestrations.One, FloorOrchestrations.OneAsync),
            Orchestration(shims, FloorOrchestrations.Handoff, FloorOrchestrations.HandoffAsync),
            Orchestration(shims, FloorOrchestrations.Timer, FloorOrchestrations.TimerAsync),
            Orchestration(shims, FloorOrchestrations.Parked, FloorOrchestrations.ParkedAsync));
        worker.AddTaskActivities(new ShimCreator<TaskActivity>(FloorOrchestrations.Write, () =>
            shims.CreateActivity<FloorStep, string>(FloorOrchestrations.Write, (_, step) => FloorOrchestrations.WriteAsync(writes, signals, step!)!)));
        await worker.StartAsync();
        return new FloorEngine(worker, service, other, meter, loggers);
    }

    /// <summary>Production: the self-host's mapping of <see cref="DurableSettings"/>; otherwise the engine's defaults but for partitions and polling.</summary>
    private static AzureStorageOrchestrationServiceSettings Settings(string hub, IConfiguration configuration, FloorProfile profile, Meter meter, ILoggerFactory loggers)
    {
        var clients = EngineStorage.Clients(configuration, s => meter.Policy(Meter.Engine, s));
        if (profile.DurableDefaults)
        {
            return new AzureStorageOrchestrationServiceSettings
            {
                TaskHubName = hub,
                StorageAccountClientProvider = clients,
                PartitionCount = profile.PartitionCount,
                MaxQueuePollingInterval = profile.MaxQueuePollingInterval,
                LoggerFactory = loggers,
            };
        }

        var settings = new DurableSettings();
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hub,
            StorageAccountClientProvider = clients,
            PartitionCount = profile.PartitionCount,
            MaxQueuePollingInterval = profile.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = settings.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = settings.WorkItemQueueVisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestratorFunctions,
            LoggerFactory = loggers,
        };
    }

    private static ShimCreator<TaskOrchestration> Orchestration(
        DurableTaskShimFactory shims, string name, Func<TaskOrchestrationContext, FloorInput, Task<string>> run) =>
        new(name, () => shims.CreateOrchestration<FloorInput, string>(name, (context, input) => run(context, input!)!));

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(isForced: true);
        _worker.Dispose();
        _other.Dispose();
        _loggers.Dispose();
    }
}
