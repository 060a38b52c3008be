using Handoff.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Handoff.Functions;

/// <summary>
/// The case orchestration and its activities as Durable Functions: each delegates to the code the self-host runs unchanged
/// (<see cref="CaseOrchestration"/>, <see cref="ApplyPendingActivity"/>, <see cref="NoteBlockedActivity"/>, and the schema-2
/// <see cref="ApplyStepActivity"/>), with the same names, on the same engine and the same serializer (<c>WorkerOptions.Serializer</c> =
/// <see cref="WorkflowJson.Options"/>, set in <see cref="FunctionApp"/>).
/// </summary>
public sealed class CaseFunctions(ApplyPendingActivity pending, ApplyStepActivity step, NoteBlockedActivity blocked)
{
    [Function(CaseOrchestration.Name)]
    public static Task<CaseProgress> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CaseOrchestration.RunAsync(context, context.GetInput<CaseOrchestrationInput>()
            ?? throw new InvalidOperationException($"{CaseOrchestration.Name} {context.InstanceId} was started without an input."));

    [Function(ApplyPendingActivity.Name)]
    public Task<CaseProgress> ApplyPending([ActivityTrigger] ApplyPendingRequest request, FunctionContext context) =>
        pending.RunAsync(request, context.CancellationToken);

    [Function(ApplyStepActivity.Name)]
    public Task<CaseProgress> ApplyStep([ActivityTrigger] ApplyStepRequest request, FunctionContext context) =>
        step.RunAsync(request, context.CancellationToken);

    [Function(NoteBlockedActivity.Name)]
    public Task NoteBlocked([ActivityTrigger] NoteBlockedRequest request, FunctionContext context) =>
        blocked.RunAsync(request, context.CancellationToken);
}
