using Handoff.Core.Cases;
using Handoff.Workflow.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Handoff.Workflow;

/// <summary>
/// Starting, restoring and signalling case orchestrations through the engine's client: the same calls in both hosts, with the same
/// rule — a start never overwrites a running instance (self-hosted: the dedupe statuses our client passes; under Functions:
/// <c>overridableExistingInstanceStates: NonRunningStates</c> in host.json), and a start over a failed, terminated or completed one
/// replaces it without purging its history first. How the backend refuses a start or an event is the engine seam's
/// (<see cref="EngineBackend"/>).
/// </summary>
public sealed class CaseInstances(WorkflowTime time, ApplyRetry retry, EngineBackend backend)
{
    /// <summary>The engine's backend, as the hosts configure it.</summary>
    public EngineBackend Backend => backend;

    /// <summary>The input of a new generation of the case's orchestration: it starts by applying what waits in the case's inbox.</summary>
    public CaseOrchestrationInput Input(string caseId, CaseProgress? progress = null, int generation = 0) =>
        new(CaseOrchestration.SchemaVersion, caseId, time.Clock, time.Grace, null, progress, generation, null, retry, Restored: progress is not null);

    /// <summary>
    /// Starts the case's orchestration (a registration's, with <paramref name="progress"/> null; a restore's, from our own record). False
    /// when an instance under the id is running already: nothing changes then.
    /// </summary>
    public async Task<bool> StartAsync(DurableTaskClient client, string caseId, CaseProgress? progress = null, int generation = 0, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, Input(caseId, progress, generation), new StartOrchestrationOptions(caseId), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsAlreadyStarted(ex))
        {
            return false;
        }
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

    /// <summary>The engine's refusal to start an instance whose id is running (<see cref="EngineBackend.IsAlreadyStarted"/>).</summary>
    public bool IsAlreadyStarted(Exception ex) => backend.IsAlreadyStarted(ex);

    /// <summary>
    /// Signals the case's orchestration that its inbox holds <paramref name="step"/>. The step travels in the event too (schema 2 applies
    /// it from there; schema 3 writes it into the inbox only if no row of its is there). False when the host refused it because the
    /// instance is not running (<see cref="EngineBackend.IsNotRunning"/>; a backend that drops such an event answers true).
    /// </summary>
    public async Task<bool> RaiseAsync(DurableTaskClient client, string caseId, CaseStep step, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.RaiseEventAsync(caseId, CaseOrchestration.StepEvent, step, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (backend.IsNotRunning(ex))
        {
            return false;
        }
    }
}
