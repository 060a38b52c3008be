using Handoff.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Handoff.Functions;

/// <summary>
/// The case orchestration and its one activity as Durable Functions: both delegate to the code the self-host runs unchanged
/// (<see cref="CaseOrchestration"/>, <see cref="ApplyStepActivity"/>), with the same names, on the same engine and the same
/// serializer (<c>WorkerOptions.Serializer</c> = <see cref="WorkflowJson.Options"/>, set in <see cref="FunctionApp"/>).
/// </summary>
public sealed class CaseFunctions(ApplyStepActivity activity)
{
    [Function(CaseOrchestration.Name)]
    public static Task<CaseProgress> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        CaseOrchestration.RunAsync(context, context.GetInput<CaseOrchestrationInput>()
            ?? throw new InvalidOperationException($"{CaseOrchestration.Name} {context.InstanceId} was started without an input."));

    [Function(ApplyStepActivity.Name)]
    public Task<CaseProgress> ApplyStep([ActivityTrigger] ApplyStepRequest request, FunctionContext context) =>
        activity.RunAsync(request, context.CancellationToken);
}
