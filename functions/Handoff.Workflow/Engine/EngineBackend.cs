using Microsoft.DurableTask.Client;

namespace Handoff.Workflow.Engine;

/// <summary>
/// What Handoff assumes of the Durable Task backend under <see cref="DurableTaskClient"/> and the orchestration context, in one place
/// (issue 23). Product code keeps to the client and the context; the few things a backend decides — how long one timer may be, how a
/// refused start and a refused event look, how finished instances are purged, how far orchestrations can spread — are asked of this
/// class. The backend is the setting <c>Handoff:Durable:Backend</c>; <see cref="AzureStorageBackend"/> is the one built.
/// docs/architecture.md ("The engine behind one seam") says what another backend would take: the Durable Task Scheduler where a region
/// offers it, or MSSQL — a class here and the hosts' wiring, nothing in the orchestration, the activities or the command path.
/// </summary>
public abstract class EngineBackend
{
    public const string Setting = "Handoff:Durable:Backend";

    /// <summary>The value of <see cref="Setting"/> that names this backend.</summary>
    public abstract string Name { get; }

    /// <summary>Long waits are split into timer pieces of at most this (the orchestration's SDK does it: <c>MaximumTimerInterval</c>).</summary>
    public abstract TimeSpan MaximumTimerInterval { get; }

    /// <summary>How many worker instances can run orchestrations of one task hub at once at most (the backend's partition limit).</summary>
    public abstract int MaxPartitions { get; }

    /// <summary>The refusal to start an instance under the id of a running one.</summary>
    public abstract bool IsAlreadyStarted(Exception ex);

    /// <summary>
    /// The host's refusal of an event to an instance that is missing or not running, where it refuses one at all: a backend may drop
    /// such an event without an error (Azure Storage self-hosted), so the command path never relies on the event alone — the command
    /// is in the case's inbox first, and the reconciler and the command's own check restore a case whose orchestration is not running.
    /// </summary>
    public abstract bool IsNotRunning(Exception ex);

    /// <summary>The purge of completed and terminated instances created before <paramref name="createdBefore"/>.</summary>
    public abstract PurgeInstancesFilter FinishedBefore(DateTimeOffset createdBefore);

    /// <summary>The backend <see cref="Setting"/> names; a backend not built is refused with what it would take.</summary>
    public static EngineBackend From(string? name, TimeSpan maximumTimerInterval) => name switch
    {
        null or "" or AzureStorageBackend.BackendName => new AzureStorageBackend(maximumTimerInterval),
        _ => throw new InvalidOperationException(
            $"{Setting} '{name}' is not built: only '{AzureStorageBackend.BackendName}' is. Another backend (the Durable Task Scheduler, MSSQL) is "
            + "a class beside AzureStorageBackend and the hosts' wiring: docs/architecture.md, \"The engine behind one seam\"."),
    };
}

/// <summary>
/// DurableTask.AzureStorage: the task hub in queues, tables and blobs of the storage account — what Durable Functions runs on by default
/// and what the self-host runs. Its particulars, each measured or read in the engine's source:
/// <list type="bullet">
/// <item>a queue message is hidden at most 7 days, so a longer timer is split into pieces (6 days);</item>
/// <item>orchestrations spread over at most 16 control-queue partitions, fixed when the hub is created (the self-host refuses a hub
/// created with another count; a new count is a new hub and a move: docs/operations.md);</item>
/// <item>self-hosted, an event to a missing or ended instance is dropped without a word; under Functions the host refuses it first
/// (gRPC <c>NotFound</c> or <c>FailedPrecondition</c>);</item>
/// <item>a start under a running id is refused with DurableTask.Core's <c>OrchestrationAlreadyExistsException</c> (self-hosted, with
/// <c>ThrowExceptionOnInvalidDedupeStatus</c>), or gRPC <c>AlreadyExists</c> mapped back by the Functions client;</item>
/// <item>the Instances table keeps no completion index: a purge filters by creation time.</item>
/// </list>
/// </summary>
public sealed class AzureStorageBackend(TimeSpan maximumTimerInterval) : EngineBackend
{
    public const string BackendName = "AzureStorage";

    /// <summary>DurableTask.AzureStorage refuses more (<c>AzureStorageOrchestrationServiceSettings</c> validation: 1–16).</summary>
    public const int PartitionLimit = 16;

    public override string Name => BackendName;

    public override TimeSpan MaximumTimerInterval { get; } = maximumTimerInterval;

    public override int MaxPartitions => PartitionLimit;

    public override bool IsAlreadyStarted(Exception ex) =>
        ex.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal)
        || ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase);

    public override bool IsNotRunning(Exception ex) =>
        ex.GetType().Name == "RpcException" && (ex.Message.Contains("NotFound", StringComparison.Ordinal) || ex.Message.Contains("FailedPrecondition", StringComparison.Ordinal));

    public override PurgeInstancesFilter FinishedBefore(DateTimeOffset createdBefore) =>
        new(CreatedFrom: null, CreatedTo: createdBefore, Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Terminated]);
}
