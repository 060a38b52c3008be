using Handoff.Core.Cases;
using Microsoft.DurableTask;

namespace Handoff.Workflow;

/// <summary>
/// One orchestration per case (instance id = case id). It only sequences: it waits for the next step or for the next due instant,
/// has <see cref="ApplyStepActivity"/> decide and write each step (so a changed rule, policy or holiday file never changes the replay
/// of a running case), and carries the small <see cref="CaseProgress"/> the activity returns.
/// <para>Deterministic: no I/O, no clock but <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/> mapped through the input's
/// workflow clock, no <see cref="Guid.NewGuid"/> (ids come from <see cref="TaskOrchestrationContext.NewGuid"/>), no configuration.
/// The banned-API analyzer enforces the clock and Guid rules for this project.</para>
/// <para>Never early: a timer that fires before its deadline (Azure Storage can deliver one up to a second early) waits out the
/// rest; a deadline's tick is applied only <see cref="CaseOrchestrationInput.Grace"/> after the deadline ends, so a step received
/// just before it is applied first and counts as on time (its legal time is when the API received it).</para>
/// </summary>
public static class CaseOrchestration
{
    public const string Name = "CaseOrchestration";

    /// <summary>The one external event name: every command arrives as a <see cref="CaseStep"/>.</summary>
    public const string StepEvent = "step";

    /// <summary>The shape of this orchestration. Bump it when the sequence of actions changes, and keep the old path for old inputs.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Steps per generation before <c>ContinueAsNew</c> keeps the engine's history short.</summary>
    public const int StepsPerGeneration = 24;

    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    public static async Task<CaseProgress> RunAsync(TaskOrchestrationContext context, CaseOrchestrationInput input)
    {
        if (input.SchemaVersion > SchemaVersion)
        {
            throw new InvalidOperationException($"Case {input.CaseId} was started by a newer build (schema {input.SchemaVersion}).");
        }

        var progress = input.Progress
            ?? await ApplyAsync(context, input.CaseId, input.Registration ?? throw new InvalidOperationException("No registration and no progress."));
        Task<CaseStep>? nextStep = null;
        for (var steps = 1; !progress.Closed; steps++)
        {
            if (steps > StepsPerGeneration && nextStep is null)
            {
                // A quiet point: no step is in flight, so nothing is discarded; steps that arrive meanwhile are carried over.
                context.ContinueAsNew(input with { Registration = null, Progress = progress, Generation = input.Generation + 1 }, preserveUnprocessedEvents: true);
                return progress;
            }

            nextStep ??= context.WaitForExternalEvent<CaseStep>(StepEvent);
            if (progress.NextDueAt is not { } due)
            {
                progress = await ApplyAsync(context, input.CaseId, await nextStep);
                nextStep = null;
                continue;
            }

            using var cancelTimer = new CancellationTokenSource();
            var timer = context.CreateTimer((input.Clock.ToReal(due) + input.Grace).UtcDateTime, cancelTimer.Token);
            if (await Task.WhenAny(nextStep, timer) == nextStep)
            {
                cancelTimer.Cancel();
                progress = await ApplyAsync(context, input.CaseId, await nextStep);
                nextStep = null;
                continue;
            }

            var now = input.Clock.ToWorkflow(new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero));
            if (now < due)
            {
                continue; // Fired early: wait out the rest (re-armed for the deadline plus the grace, so the last second does not spin).
            }

            progress = await ApplyAsync(context, input.CaseId, new CaseStep("t" + context.NewGuid().ToString("N"), new Tick(), now));
        }

        return progress;
    }

    private static Task<CaseProgress> ApplyAsync(TaskOrchestrationContext context, string caseId, CaseStep step) =>
        context.CallActivityAsync<CaseProgress>(ApplyStepActivity.Name, new ApplyStepRequest(caseId, step), ActivityRetry);
}
