using Handoff.Core.Cases;
using Microsoft.DurableTask;

namespace Handoff.Workflow;

public static partial class CaseOrchestration
{
    /// <summary>
    /// Schema 2, frozen: instances an earlier build started replay exactly the actions they took. Do not change it; it can go once no
    /// schema-2 instance is running. Each step travelled in its event and was applied by <see cref="ApplyStepRequest.ActivityName"/>
    /// (which now writes it into the case's inbox first); a repeat already applied was dropped by its command id, and a timer stayed
    /// armed while its instant held. Its next generation runs the current schema.
    /// </summary>
    private static async Task<CaseProgress> RunVersion2Async(TaskOrchestrationContext context, CaseOrchestrationInput input)
    {
        var progress = input.Progress
            ?? await ApplyStepAsync(context, input.CaseId, input.Registration ?? throw new InvalidOperationException("No registration and no progress."));
        var applied = new RecentSteps(input.RecentSteps);
        Task<CaseStep>? nextStep = null;
        ArmedTimer? timer = null;
        var firedEarly = false;
        var steps = 0;
        while (!progress.Closed)
        {
            if (steps >= StepsPerGeneration && nextStep is null)
            {
                // A quiet point: no step is in flight, so nothing is discarded; steps that arrive meanwhile are carried over.
                timer?.Cancel();
                context.ContinueAsNew(
                    input with { SchemaVersion = SchemaVersion, Registration = null, Progress = progress, Generation = input.Generation + 1, RecentSteps = applied.Ids },
                    preserveUnprocessedEvents: true);
                return progress;
            }

            nextStep ??= context.WaitForExternalEvent<CaseStep>(StepEvent);
            if (nextStep.IsCompletedSuccessfully && applied.Contains(nextStep.Result.CommandId))
            {
                nextStep = null; // A repeat already waiting in the buffer: dropped without an activity or a timer.
                continue;
            }

            CaseStep step;
            if (progress.NextDueAt is not { } due)
            {
                timer?.Cancel();
                timer = null;
                step = await nextStep;
            }
            else
            {
                // A deadline's tick waits out the grace; after an early fire, a second more, so that a queue that truncates visibility to
                // whole seconds cannot bring the timer back before it is due and make the last second spin. One timer per instant: a
                // step that leaves the next due instant where it was keeps it.
                var tickAt = input.Clock.ToReal(due) + input.Grace;
                var fireAt = (firedEarly ? tickAt + EarlyFireMargin : tickAt).UtcDateTime;
                if (timer?.FireAt != fireAt)
                {
                    timer?.Cancel();
                    timer = new ArmedTimer(context, fireAt);
                }

                if (await Task.WhenAny(nextStep, timer.Task) != nextStep)
                {
                    timer = null;
                    var realNow = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
                    firedEarly = realNow < tickAt;
                    if (firedEarly)
                    {
                        continue; // Fired early: wait out the rest. Nothing is decided before the deadline and its grace have passed.
                    }

                    // The tick acts as of the grace ago, so a deadline that ended within the grace (another one's, whose own timer is still
                    // to fire) is not acted on before a step received in time has had its chance to arrive. Still never before `due`.
                    var now = input.Clock.ToWorkflow(realNow - input.Grace);
                    progress = await ApplyStepAsync(context, input.CaseId, new CaseStep("t" + context.NewGuid().ToString("N"), new Tick(), now));
                    steps++;
                    continue;
                }

                step = await nextStep;
            }

            nextStep = null;
            if (applied.Contains(step.CommandId))
            {
                continue; // A repeat that arrived while the orchestration waited: the timer stays armed.
            }

            progress = await ApplyStepAsync(context, input.CaseId, step);
            applied.Add(step.CommandId);
            firedEarly = false;
            steps++;
        }

        timer?.Cancel();
        return progress;
    }

}
