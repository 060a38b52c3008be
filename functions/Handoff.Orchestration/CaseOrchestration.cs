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
/// <para>Repeats cost nothing: a command is raised again when a client retries it with its <c>Idempotency-Key</c> after a 202, and the
/// reconciler nudges an overdue case once a sweep; once a step is applied, its repeats are dropped here (the activity would change
/// nothing) — so a backlog of them cannot starve the step that matters.</para>
/// <para>Never early: a timer that fires before its deadline (Azure Storage can deliver one up to a second early) waits out the
/// rest; a deadline's tick is applied only <see cref="CaseOrchestrationInput.Grace"/> after the deadline ends, so a step received
/// just before it is applied first and counts as on time (its legal time is when the API received it).</para>
/// </summary>
public static partial class CaseOrchestration
{
    public const string Name = "CaseOrchestration";

    /// <summary>The one external event name: every command arrives as a <see cref="CaseStep"/>.</summary>
    public const string StepEvent = "step";

    /// <summary>
    /// The shape of this orchestration. Bump it when the sequence of actions changes, and keep the old path for old inputs.
    /// 2: a step whose command was already applied is dropped without an activity, and a timer stays armed while its instant holds.
    /// </summary>
    public const int SchemaVersion = 2;

    /// <summary>Steps applied per generation before <c>ContinueAsNew</c> keeps the engine's history short.</summary>
    public const int StepsPerGeneration = 24;

    /// <summary>How many applied steps' command ids the orchestration remembers (and hands to its next generation) to drop repeats.</summary>
    public const int RememberedSteps = 32;

    /// <summary>How far past its instant a timer is re-armed after it fired early.</summary>
    private static readonly TimeSpan EarlyFireMargin = TimeSpan.FromSeconds(1);

    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    public static Task<CaseProgress> RunAsync(TaskOrchestrationContext context, CaseOrchestrationInput input) => input.SchemaVersion switch
    {
        > SchemaVersion => throw new InvalidOperationException($"Case {input.CaseId} was started by a newer build (schema {input.SchemaVersion})."),
        1 => RunVersion1Async(context, input),
        _ => RunCurrentAsync(context, input),
    };

    private static async Task<CaseProgress> RunCurrentAsync(TaskOrchestrationContext context, CaseOrchestrationInput input)
    {
        var progress = input.Progress
            ?? await ApplyAsync(context, input.CaseId, input.Registration ?? throw new InvalidOperationException("No registration and no progress."));
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
                    input with { Registration = null, Progress = progress, Generation = input.Generation + 1, RecentSteps = applied.Ids },
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
                    progress = await ApplyAsync(context, input.CaseId, new CaseStep("t" + context.NewGuid().ToString("N"), new Tick(), now));
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

            progress = await ApplyAsync(context, input.CaseId, step);
            applied.Add(step.CommandId);
            firedEarly = false;
            steps++;
        }

        timer?.Cancel();
        return progress;
    }

    private static Task<CaseProgress> ApplyAsync(TaskOrchestrationContext context, string caseId, CaseStep step) =>
        context.CallActivityAsync<CaseProgress>(ApplyStepRequest.ActivityName, new ApplyStepRequest(caseId, step), ActivityRetry);
}
