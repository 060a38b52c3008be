using Handoff.Core.Cases;
using Microsoft.DurableTask;

namespace Handoff.Workflow;

/// <summary>
/// One orchestration per case (instance id = case id). It only sequences: it has the case's activity apply whatever waits in the case's
/// inbox — commands the API wrote there, in the order they were received — whenever it is told something waits, and a deadline's tick
/// at the deadline; the activity decides each step with the pure core (so a changed rule, policy or holiday file never changes the
/// replay of a running case) and returns the small <see cref="CaseProgress"/> carried here.
/// <para>Deterministic: no I/O, no clock but <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/> mapped through the input's
/// workflow clock, no <c>Guid.NewGuid</c> (ids come from <see cref="TaskOrchestrationContext.NewGuid"/>), no configuration (settings
/// travel in the input). This project references no I/O, and its banned-API list (BannedSymbols.Orchestration.txt) refuses clocks,
/// random numbers, delays, threads and the environment.</para>
/// <para>Never gives up: an activity that fails all its retries leaves the orchestration running and blocked — it says so in its custom
/// status, lists itself for the operator, waits on a durable timer with growing back-off and tries again. A command that can never be
/// applied is the activity's to refuse (<c>internal-error</c>), never a reason to fail here.</para>
/// <para>Never early: a timer that fires before its deadline (Azure Storage can deliver one up to a second early) waits out the rest; a
/// deadline's tick is applied at the deadline plus <see cref="CaseOrchestrationInput.Grace"/>, the time the API may take between
/// receiving a command and writing it to the inbox, so a step received before the deadline is applied before the tick (its legal time
/// is when the API received it, whenever it is applied).</para>
/// </summary>
public static partial class CaseOrchestration
{
    public const string Name = "CaseOrchestration";

    /// <summary>The one external event name: a signal that the case's inbox holds something (its payload is the step, as schema 2 had it).</summary>
    public const string StepEvent = "step";

    /// <summary>
    /// The shape of this orchestration. Bump it when the sequence of actions changes, and keep the old path for old inputs.
    /// 2: a step whose command was already applied is dropped without an activity, and a timer stays armed while its instant holds.
    /// 3: commands wait in the case's inbox and the activity applies all that wait, in the order received; signals already buffered go
    /// with the one being handled; an activity that fails all its retries blocks the case (back-off, then again) instead of failing it;
    /// every generation starts by applying what waits.
    /// </summary>
    public const int SchemaVersion = 3;

    /// <summary>Steps applied per generation before <c>ContinueAsNew</c> keeps the engine's history short.</summary>
    public const int StepsPerGeneration = 24;

    /// <summary>How many applied steps' command ids the orchestration remembers (and hands to its next generation) to drop repeats.</summary>
    public const int RememberedSteps = 32;

    /// <summary>How far past its instant a timer is re-armed after it fired early.</summary>
    private static readonly TimeSpan EarlyFireMargin = TimeSpan.FromSeconds(1);

    public static Task<CaseProgress> RunAsync(TaskOrchestrationContext context, CaseOrchestrationInput input) => input.SchemaVersion switch
    {
        > SchemaVersion => throw new InvalidOperationException($"Case {input.CaseId} was started by a newer build (schema {input.SchemaVersion})."),
        1 => RunVersion1Async(context, input),
        2 => RunVersion2Async(context, input),
        _ => RunCurrentAsync(context, input),
    };

    private static async Task<CaseProgress> RunCurrentAsync(TaskOrchestrationContext context, CaseOrchestrationInput input)
    {
        // Whatever waits: the registration of a new case, commands accepted while no orchestration ran (a restore), or signals lost to
        // ContinueAsNew. Every generation starts here, so no signal is needed for a command already in the inbox.
        var applied = new RecentSteps(input.RecentSteps);
        var progress = await ApplyAsync(context, input, null, [], applied, first: true);
        var signals = new SignalWait(context);
        ArmedTimer? timer = null;
        var firedEarly = false;
        var steps = 1;
        while (!progress.Closed)
        {
            if (steps >= StepsPerGeneration && !signals.Arrived)
            {
                // A quiet point: no signal in hand. Signals still to come, or buffered, travel to the next generation (which starts by
                // applying the inbox anyway); the open wait is given up first, or it would swallow a signal raised in this very episode.
                timer?.Cancel();
                signals.GiveUp();
                context.ContinueAsNew(
                    input with { Registration = null, Progress = progress with { Applied = null }, Generation = input.Generation + 1, RecentSteps = applied.Ids, Restored = false },
                    preserveUnprocessedEvents: true);
                return progress;
            }

            var signal = signals.Next;
            if (signals.Arrived && applied.Contains(signal.Result.CommandId))
            {
                signals.Taken(); // A repeat of a step already applied, waiting in the buffer: dropped without an activity or a timer.
                continue;
            }

            if (progress.NextDueAt is { } due)
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

                if (await Task.WhenAny(signal, timer.Task) != signal)
                {
                    timer = null;
                    var realNow = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
                    firedEarly = realNow < tickAt;
                    if (firedEarly)
                    {
                        continue; // Fired early: wait out the rest. Nothing is decided before the deadline and its grace have passed.
                    }

                    // The tick acts as of the grace ago: a command received before then and still on its way into the inbox is applied
                    // before it, in the order received. Still never before `due`.
                    var now = input.Clock.ToWorkflow(realNow - input.Grace);
                    progress = await ApplyAsync(context, input, new CaseStep("t" + context.NewGuid().ToString("N"), new Tick(), now), [], applied);
                    steps++;
                    continue;
                }
            }

            // Every signal already buffered goes with this one: one activity applies all that waits.
            var batch = signals.TakeAll(await signal);
            batch.RemoveAll(s => applied.Contains(s.CommandId));
            if (batch.Count == 0)
            {
                continue;
            }

            // A reconciler's nudge is a tick (a lost timer message): applied at the instant it carries.
            var tick = batch.Where(s => s.Command is Tick).MaxBy(s => s.ReceivedAt);
            progress = await ApplyAsync(context, input, tick, [.. batch.Where(s => s.Command is not Tick)], applied);
            firedEarly = false;
            steps++;
        }

        timer?.Cancel();
        return progress;
    }

    /// <summary>
    /// Has the activity apply what waits in the inbox (and <paramref name="tick"/>, and <paramref name="signalled"/> steps whose rows an
    /// earlier build never wrote), retrying as the input says; past the retries, blocked: say so, wait with back-off, and try again.
    /// </summary>
    private static async Task<CaseProgress> ApplyAsync(
        TaskOrchestrationContext context, CaseOrchestrationInput input, CaseStep? tick, IReadOnlyList<CaseStep> signalled, RecentSteps applied, bool first = false)
    {
        var retry = input.Retry ?? new ApplyRetry();

        // A run id per call (not per attempt): the first call after a restore has none, so everything decided and not marked is published
        // again (the instance it replaces may have died mid-step).
        var run = first && input.Restored ? null : context.NewGuid().ToString("N");
        var request = new ApplyPendingRequest(input.CaseId, tick, signalled.Count == 0 ? null : signalled, run);
        BlockedStatus? blocked = null;
        while (true)
        {
            try
            {
                var progress = await context.CallActivityAsync<CaseProgress>(ApplyPendingRequest.ActivityName, request, retry.Options);
                foreach (var id in progress.Applied ?? [])
                {
                    applied.Add(id);
                }

                if (blocked is not null)
                {
                    context.SetCustomStatus(null);
                    await NoteAsync(context, new NoteBlockedRequest(input.CaseId, null));
                }

                return progress;
            }
            catch (TaskFailedException failed)
            {
                var now = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
                var failures = (blocked?.Failures ?? 0) + 1;
                var until = now + retry.BlockedWaitAfter(failures);
                blocked = new BlockedStatus(blocked?.Since ?? now, failures, Describe(failed), until);
                context.SetCustomStatus(blocked);
                await NoteAsync(context, new NoteBlockedRequest(input.CaseId, blocked));
                await context.CreateTimer(until.UtcDateTime, CancellationToken.None);
            }
        }
    }

    /// <summary>Lists (or unlists) the case as blocked for the operator. Best effort: storage may be what is failing.</summary>
    private static async Task NoteAsync(TaskOrchestrationContext context, NoteBlockedRequest request)
    {
        try
        {
            await context.CallActivityAsync(NoteBlockedRequest.ActivityName, request);
        }
        catch (TaskFailedException)
        {
        }
    }

    private static string Describe(TaskFailedException failed) =>
        failed.FailureDetails is { } details ? $"{details.ErrorType}: {details.ErrorMessage}" : failed.Message;

    /// <summary>The activity of schemas 1 and 2, with the retries they were recorded with (their replay depends on it).</summary>
    private static Task<CaseProgress> ApplyStepAsync(TaskOrchestrationContext context, string caseId, CaseStep step) =>
        context.CallActivityAsync<CaseProgress>(ApplyStepRequest.ActivityName, new ApplyStepRequest(caseId, step), LegacyActivityRetry);

    private static readonly TaskOptions LegacyActivityRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 8, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));
}
