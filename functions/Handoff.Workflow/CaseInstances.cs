using Handoff.Core.Cases;
using Handoff.Storage.Cases;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Handoff.Workflow;

/// <summary>Starting, restoring and stepping case orchestrations through the engine's client: the same calls in both hosts.</summary>
public sealed class CaseInstances(WorkflowTime time, PersonReservations persons, CaseStore store)
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

    /// <summary>
    /// Raises the step, unless the same step (its command id) was raised less than <paramref name="again"/> ago: a client retrying
    /// with its key after a 202, a sweep nudging an overdue case again — the first raise is still on its way, and a repeat would only
    /// queue behind it. After <paramref name="again"/> it is raised once more, in case the first was lost (the engine drops an event
    /// for an instance it has not started yet, and a process can die between noting the raise and making it). Returns whether it raised.
    /// </summary>
    public async Task<bool> RaiseOnceAsync(DurableTaskClient client, string caseId, CaseStep step, TimeSpan again, CancellationToken cancellationToken = default)
    {
        if (!await store.TryMarkRaisedAsync(caseId, step.CommandId, time.Real.GetUtcNow(), again, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await RaiseAsync(client, caseId, step, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Raises the step as the orchestration's one external event, whatever was raised before.</summary>
    public static Task RaiseAsync(DurableTaskClient client, string caseId, CaseStep step, CancellationToken cancellationToken = default) =>
        client.RaiseEventAsync(caseId, CaseOrchestration.StepEvent, step, cancellationToken);
}
