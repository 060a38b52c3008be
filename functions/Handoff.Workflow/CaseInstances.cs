using Handoff.Storage.Cases;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Handoff.Workflow;

/// <summary>Starting, restoring and stepping case orchestrations through the engine's client: the same calls in both hosts.</summary>
public sealed class CaseInstances(WorkflowTime time)
{
    /// <summary>Starts the case's orchestration with its registration as the first step. A start that already happened is harmless.</summary>
    public async Task StartAsync(DurableTaskClient client, string caseId, CaseStep registration, CancellationToken cancellationToken = default)
    {
        var input = new CaseOrchestrationInput(CaseOrchestration.SchemaVersion, caseId, time.Clock, time.Grace, registration, null);
        await client.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, input, new StartOrchestrationOptions(caseId), cancellationToken)
            .ConfigureAwait(false);
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
        return instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended }
            ? instance
            : null;
    }

    public static Task RaiseAsync(DurableTaskClient client, string caseId, CaseStep step, CancellationToken cancellationToken = default) =>
        client.RaiseEventAsync(caseId, CaseOrchestration.StepEvent, step, cancellationToken);
}
