using Handoff.Core.Cases;
using Handoff.Storage.Cases;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Handoff.Workflow;

/// <summary>Starting, restoring and stepping case orchestrations through the engine's client: the same calls in both hosts.</summary>
public sealed class CaseInstances(WorkflowTime time, PersonReservations persons)
{
    /// <summary>
    /// Reserves the person and starts the case's orchestration with the registration as its first step, received at
    /// <paramref name="receivedAt"/>. False when another open case holds the person: nothing is started then. A start that already
    /// happened (a concurrent retry under the same id) is harmless.
    /// </summary>
    public async Task<bool> RegisterAsync(
        DurableTaskClient client, RegisterRelease command, string commandId, string? requestHash, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        var lookup = command.Person.IdNumberLookup;
        var reservedAt = time.Real.GetUtcNow();
        if (!await persons.ReserveAsync(lookup, command.CaseId, reservedAt, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var step = new CaseStep(commandId, command, receivedAt, requestHash, PersonReservations.PendingRowKey(reservedAt, lookup));
        var input = new CaseOrchestrationInput(CaseOrchestration.SchemaVersion, command.CaseId, time.Clock, time.Grace, step, null);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, input, new StartOrchestrationOptions(command.CaseId), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (IsAlreadyStarted(ex))
        {
        }

        return true;
    }

    /// <summary>Starts a new generation of the case's orchestration from our own record (the engine's history may be gone).</summary>
    public async Task RestoreAsync(DurableTaskClient client, CaseRecord record, int generation, CancellationToken cancellationToken = default)
    {
        var caseId = record.State.CaseId;
        var input = new CaseOrchestrationInput(
            CaseOrchestration.SchemaVersion, caseId, time.Clock, time.Grace, null, ApplyStepActivity.Progress(record), generation);
        await client.PurgeInstanceAsync(caseId, cancellationToken).ConfigureAwait(false);
        await client.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, input, new StartOrchestrationOptions(caseId), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Whether the case's orchestration can take a step now: it exists and has not ended.</summary>
    public static async Task<OrchestrationMetadata?> LiveAsync(DurableTaskClient client, string caseId, CancellationToken cancellationToken = default)
    {
        var instance = await client.GetInstanceAsync(caseId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        return IsLive(instance) ? instance : null;
    }

    /// <summary>Started and not ended: an event raised to it will be delivered.</summary>
    public static bool IsLive(OrchestrationMetadata? instance) =>
        instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended };

    /// <summary>The engine's "instance already exists" (DurableTask.Core's exception self-hosted, a gRPC status under Functions).</summary>
    private static bool IsAlreadyStarted(Exception ex) =>
        ex.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal)
        || ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase);

    public static Task RaiseAsync(DurableTaskClient client, string caseId, CaseStep step, CancellationToken cancellationToken = default) =>
        client.RaiseEventAsync(caseId, CaseOrchestration.StepEvent, step, cancellationToken);
}
