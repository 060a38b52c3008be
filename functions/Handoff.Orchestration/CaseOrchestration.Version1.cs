using Handoff.Core.Cases;
using Microsoft.DurableTask;

namespace Handoff.Workflow;

public static partial class CaseOrchestration
{
    /// <summary>
    /// Schema 1, frozen: instances an earlier build started replay exactly the actions they took. Do not change it; it can go once no
    /// schema-1 instance is running. It applied every step it received, a repeat included (the activity then changed nothing), and
    /// armed a new timer before each wait.
    /// </summary>
    private static async Task<CaseProgress> RunVersion1Async(TaskOrchestrationContext context, CaseOrchestrationInput input)
    {
        var progress = input.Progress
            ?? await ApplyStepAsync(context, input.CaseId, input.Registration ?? throw new InvalidOperationException("No registration and no progress."));
        Task<CaseStep>? nextStep = null;
        var firedEarly = false;
        for (var steps = 1; !progress.Closed; steps++)
        {
            if (steps > StepsPerGeneration && nextStep is null)
            {
                // A quiet point: no step is in flight, so nothing is discarded; steps that arrive meanwhile are carried over.
                // The next generation is a new execution with nothing to replay: it runs the current shape.
                context.ContinueAsNew(
                    input with { SchemaVersion = SchemaVersion, Registration = null, Progress = progress, Generation = input.Generation + 1 },
                    preserveUnprocessedEvents: true);
                return progress;
            }

            nextStep ??= context.WaitForExternalEvent<CaseStep>(StepEvent);
            if (progress.NextDueAt is not { } due)
            {
                progress = await ApplyStepAsync(context, input.CaseId, await nextStep);
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
                progress = await ApplyStepAsync(context, input.CaseId, await nextStep);
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
            progress = await ApplyStepAsync(context, input.CaseId, new CaseStep("t" + context.NewGuid().ToString("N"), new Tick(), now));
        }

        return progress;
    }
}
