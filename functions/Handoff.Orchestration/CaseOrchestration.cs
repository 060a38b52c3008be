using Handoff.Core.Cases;
using Microsoft.DurableTask;

namespace Handoff.Workflow;

/// <summary>
/// One orchestration per case (instance id = case id). It only sequences: it waits for the next step or for the next due instant,
/// has the ApplyStep activity decide and write each step (so a changed rule, policy or holiday file never changes the replay
/// of a running case), and carries the small <see cref="CaseProgress"/> the activity returns.
/// <para>Deterministic: no I/O, no clock but <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/> mapped through the input's
/// workflow clock, no <c>Guid.NewGuid</c> (ids come from <see cref="TaskOrchestrationContext.NewGuid"/>), no configuration.
/// This project references no I/O, and its banned-API list (BannedSymbols.Orchestration.txt) refuses clocks, random numbers, delays,
/// threads and the environment.</para>
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

    /// <summary>How far past its instant a timer is re-armed after it fired early.</summary>
    private static readonly TimeSpan EarlyFireMargin = TimeSpan.FromSeconds(1);

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
        var firedEarly = false;
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

            // A deadline's tick waits out the grace; after an early fire, a second more, so that a queue that truncates visibility to
            // whole seconds cannot bring the timer back before it is due and make the last second spin.
            var tickAt = input.Clock.ToReal(due) + input.Grace;
            var fireAt = firedEarly ? tickAt + EarlyFireMargin : tickAt;
            using var cancelTimer = new CancellationTokenSource();
            var timer = context.CreateTimer(fireAt.UtcDateTime, cancelTimer.Token);
            if (await Task.WhenAny(nextStep, timer) == nextStep)
            {
                cancelTimer.Cancel();
                progress = await ApplyAsync(context, input.CaseId, await nextStep);
                nextStep = null;
                firedEarly = false;
                continue;
            }

            var realNow = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
            firedEarly = realNow < tickAt;
            if (firedEarly)
            {
                continue; // Fired early: wait out the rest. Nothing is decided before the deadline and its grace have passed.
            }

            // The tick acts as of the grace ago, so a deadline that ended within the grace (another one's, whose own timer is still to
            // fire) is not acted on before a step received in time has had its chance to arrive. Still never before `due`.
            var now = input.Clock.ToWorkflow(realNow - input.Grace);
            progress = await ApplyAsync(context, input.CaseId, new CaseStep("t" + context.NewGuid().ToString("N"), new Tick(), now));
        }

        return progress;
    }

    private static Task<CaseProgress> ApplyAsync(TaskOrchestrationContext context, string caseId, CaseStep step) =>
        context.CallActivityAsync<CaseProgress>(ApplyStepRequest.ActivityName, new ApplyStepRequest(caseId, step), ActivityRetry);
}
