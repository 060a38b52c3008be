using DurableTask.AzureStorage;
using DurableTask.Core;
using Handoff.Api.Hosting;
using Handoff.Workflow;
using Handoff.Workflow.Engine;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace Handoff.SelfHost;

/// <summary>
/// The Durable Task engine, self-hosted: DurableTask.Core's <see cref="TaskHubWorker"/> over <see cref="AzureStorageOrchestrationService"/>
/// (the same backend and task-hub layout Durable Functions uses in Azure), running the orchestration and activity written against
/// Microsoft.DurableTask through the SDK's public shims. The shims and the client use one <see cref="DataConverter"/>
/// (<see cref="WorkflowJson"/>).
/// </summary>
public static class DurableEngine
{
    /// <param name="storageObserver">Optional: an extra per-attempt pipeline policy on the engine's storage clients (see
    /// <see cref="EngineStorage.Clients"/>); the benchmark counts the engine's requests with it. The self-host passes none.</param>
    public static IServiceCollection AddDurableEngine(
        this IServiceCollection services, IConfiguration configuration, Func<string, Azure.Core.Pipeline.HttpPipelinePolicy>? storageObserver = null)
    {
        var settings = DurableSettings.From(configuration);
        var backend = EngineBackend.From(settings.Backend, settings.MaximumTimerInterval);
        if (settings.PartitionCount < 1 || settings.PartitionCount > backend.MaxPartitions)
        {
            throw new InvalidOperationException($"Handoff:Durable:PartitionCount must be 1–{backend.MaxPartitions} (the {backend.Name} backend's limit); it is {settings.PartitionCount}.");
        }

        services.AddSingleton(settings);
        services.TryAddSingleton(backend);
        services.AddSingleton(sp => new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = sp.GetRequiredService<TaskHubName>().Value,
            WorkerId = WorkerId(),
            StorageAccountClientProvider = EngineStorage.Clients(configuration, storageObserver),
            PartitionCount = settings.PartitionCount,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = settings.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = settings.WorkItemQueueVisibilityTimeout,

            // A start under the id of a running instance is refused with OrchestrationAlreadyExistsException, as the Functions extension
            // sets it, rather than dropped without a word (the engine's default).
            ThrowExceptionOnInvalidDedupeStatus = true,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivityFunctions,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestratorFunctions,
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        });
        services.AddSingleton(sp => new AzureStorageOrchestrationService(sp.GetRequiredService<AzureStorageOrchestrationServiceSettings>()));
        services.AddSingleton<DataConverter>(WorkflowJson.Converter);
        services.AddSingleton<DurableTaskClient>(sp => new SelfHostedClient(
            sp.GetRequiredService<AzureStorageOrchestrationService>(), sp.GetRequiredService<DataConverter>(), TimeProvider.System));
        services.AddHostedService<EngineService>();
        return services;
    }

    /// <summary>
    /// This engine's name among the workers of the task hub. The partition manager treats every partition whose owner bears its name
    /// as its own, and DurableTask.AzureStorage names a worker after the machine: two self-host processes on one machine would both
    /// listen on the control queue (split brain on every other episode). So the process id and a random part are added — Durable
    /// Functions likewise names each host instance. A restarted process is a new worker: it takes the partition over once the dead
    /// one's lease expires (30 s), as a new instance in Azure does.
    /// </summary>
    private static string WorkerId() =>
        $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3))}";

    /// <summary>
    /// Creates the task hub if needed — refusing one created with another partition count (<see cref="HubPartitions"/>) — and runs the
    /// worker for the life of the process.
    /// </summary>
    private sealed class EngineService(
        AzureStorageOrchestrationService service, AzureStorageOrchestrationServiceSettings engineSettings, EngineBackend backend, DataConverter converter, ApplyPendingActivity pending, ApplyStepActivity step,
        NoteBlockedActivity blocked, ILoggerFactory loggers)
        : IHostedService
    {
        private TaskHubWorker? _worker;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await HubPartitions.EnsureHubAsync(service, engineSettings, cancellationToken).ConfigureAwait(false);
            var shims = new DurableTaskShimFactory(
                new DurableTaskWorkerOptions { DataConverter = converter, MaximumTimerInterval = backend.MaximumTimerInterval }, loggers);
            _worker = new TaskHubWorker(service, loggers);
            _worker.AddTaskOrchestrations(new ShimCreator<TaskOrchestration>(CaseOrchestration.Name, () =>
                shims.CreateOrchestration<CaseOrchestrationInput, CaseProgress>(CaseOrchestration.Name, (context, input) => CaseOrchestration.RunAsync(context, input!)!)));
            _worker.AddTaskActivities(
                new ShimCreator<TaskActivity>(ApplyPendingActivity.Name, () =>
                    shims.CreateActivity<ApplyPendingRequest, CaseProgress>(ApplyPendingActivity.Name, (context, request) => pending.RunAsync(request!)!)),
                new ShimCreator<TaskActivity>(ApplyStepActivity.Name, () =>
                    shims.CreateActivity<ApplyStepRequest, CaseProgress>(ApplyStepActivity.Name, (context, request) => step.RunAsync(request!)!)),
                new ShimCreator<TaskActivity>(NoteBlockedActivity.Name, () =>
                    shims.CreateActivity<NoteBlockedRequest, object?>(NoteBlockedActivity.Name, async (context, request) =>
                    {
                        await blocked.RunAsync(request!);
                        return null;
                    })));
            await _worker.StartAsync().ConfigureAwait(false);
        }

        /// <summary>
        /// Stops the worker once. The host can ask twice — Program's <c>WaitForShutdownAsync</c> stops the host when shutdown begins, and
        /// so does whoever began it (Ctrl+C, a test's factory) — and the engine's worker cannot be stopped after it is disposed.
        /// </summary>
        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _worker, null) is { } worker)
            {
                await worker.StopAsync(isForced: true).ConfigureAwait(false);
                worker.Dispose();
            }
        }
    }
}
