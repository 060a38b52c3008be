using Handoff.Core.Cases;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Index;
using Handoff.Storage.Notices;
using Handoff.Storage.Statistics;
using Microsoft.Extensions.Logging;

namespace Handoff.Workflow;

/// <summary>
/// Decides one step with the pure core and writes its effects, idempotently — activities run at least once:
/// <list type="number">
/// <item>one read of the case row and the step's command record; a recorded step is not decided again (its notices and the index are
/// written once more, keyed, in case the earlier run crashed after its commit);</item>
/// <item><see cref="CaseWorkflow.Decide"/> at the step's legal time (when the API received it, never before the last applied step);</item>
/// <item>one entity-group transaction: the case row (conditional on its ETag), one history row per event, the command record;</item>
/// <item>the notices to each recipient's inbox (keyed by notice id), the feed and webhook queues, the region and due index, and the
/// supervisors' figures (<see cref="RegionStatsStore"/>, by case version);</item>
/// <item>the command record marked published: what the API waits for, so its caller then reads the step in lists and inboxes too.</item>
/// </list>
/// Returns the <see cref="CaseProgress"/> the orchestration carries. A refused step is recorded with its rejection, so the caller
/// (and anyone reading the case) sees why.
/// </summary>
public sealed class ApplyStepActivity(
    CaseStore store,
    CaseIndexStore index,
    NoticeDispatcher notices,
    PersonReservations persons,
    RegionStatsStore stats,
    WorkflowEnvironment environment,
    ILogger<ApplyStepActivity> logger,
    HandoffTelemetry? telemetry = null,
    WorkflowTime? time = null)
{
    public const string Name = ApplyStepRequest.ActivityName;

    public async Task<CaseProgress> RunAsync(ApplyStepRequest request, CancellationToken cancellationToken = default)
    {
        var (caseId, step) = (request.CaseId, request.Step);
        var (record, seen) = await store.LoadAsync(caseId, step.CommandId, cancellationToken).ConfigureAwait(false);
        if (seen is not null)
        {
            if (!seen.Published)
            {
                // The earlier run crashed after its commit: finish its effects.
                if (record is not null && seen.Rejection is null)
                {
                    await PublishAsync(record.State, record.Version, null, seen.DueBefore, seen.Notices, cancellationToken).ConfigureAwait(false);
                }

                await FinishRegistrationAsync(step, record, cancellationToken).ConfigureAwait(false);
                await store.MarkPublishedAsync(caseId, step.CommandId, cancellationToken).ConfigureAwait(false);
            }

            Log.StepRepeated(logger, caseId, step.CommandId);
            return Progress(record);
        }

        var now = record?.LegalTime(step.ReceivedAt) ?? step.ReceivedAt;
        var decision = CaseWorkflow.Decide(record?.State, step.Command, environment.Context(now));
        var commandName = step.Command.GetType().Name;
        if (decision.Rejection is not null || decision.Events.Count == 0)
        {
            // Nothing to write elsewhere, unless a refused registration must give its reservation back.
            var registration = step.Command is RegisterRelease || step.ReservationKey is not null;
            await store.RecordAsync(caseId, new CommandRecord(
                step.CommandId, commandName, step.RequestHash, record?.Version ?? 0, decision.Rejection, [], now, Published: !registration), cancellationToken).ConfigureAwait(false);
            if (decision.Rejection is { } rejection)
            {
                Log.StepRefused(logger, caseId, commandName, rejection.Code);
            }

            if (registration)
            {
                await FinishRegistrationAsync(step, record, cancellationToken).ConfigureAwait(false);
                await store.MarkPublishedAsync(caseId, step.CommandId, cancellationToken).ConfigureAwait(false);
            }

            return Progress(record);
        }

        var after = new CaseRecord(decision.State!, (record?.Version ?? 0) + 1, now, record?.Restores ?? 0, default);
        var dueBefore = record is { State.IsClosed: false } ? CaseWorkflow.NextDueAt(record.State) : null;
        var command = new CommandRecord(step.CommandId, commandName, step.RequestHash, after.Version, null, decision.Notices, now, DueBefore: dueBefore);
        if (!await store.CommitAsync(record, after, decision.Events, command, cancellationToken).ConfigureAwait(false))
        {
            // Only this case's orchestration writes here, so this is a duplicated run of this very activity racing itself:
            // fail, and let the retry re-read (it will find the step recorded).
            throw new InvalidOperationException($"Case {caseId} changed while step {step.CommandId} was applied; retrying.");
        }

        Log.StepApplied(logger, caseId, after.Version, commandName, decision.Events.Count, decision.Notices.Count);
        Measure(step, record, decision);
        foreach (var set in decision.Events.OfType<DeadlineSet>().Where(e => !e.Deadline.CalendarConfirmed))
        {
            Log.CalendarUnconfirmed(logger, caseId, set.Deadline.Step.ToString(), set.Deadline.LastDay);
        }

        await PublishAsync(after.State, after.Version, record?.State, dueBefore, decision.Notices, cancellationToken).ConfigureAwait(false);
        await FinishRegistrationAsync(step, after, cancellationToken).ConfigureAwait(false);
        await store.MarkPublishedAsync(caseId, step.CommandId, cancellationToken).ConfigureAwait(false);
        return Progress(after);
    }

    /// <summary>Timer lateness (a tick that found something due) and the escalations the step opened or climbed.</summary>
    private void Measure(CaseStep step, CaseRecord? before, Decision decision)
    {
        if (telemetry is null)
        {
            return;
        }

        if (step.Command is Tick && time is not null && before is not null && CaseWorkflow.NextDueAt(before.State) is { } due && due <= step.ReceivedAt)
        {
            telemetry.TimerLateness(time.Real.GetUtcNow() - time.Clock.ToReal(due));
        }

        foreach (var e in decision.Events)
        {
            switch (e)
            {
                case EscalationOpened opened:
                    telemetry.EscalationOpened(EscalationKinds.Name(opened.Kind), 1);
                    break;
                case EscalationClimbed climbed when decision.State!.Escalations.FirstOrDefault(x => x.Id == climbed.EscalationId) is { } escalation:
                    telemetry.EscalationOpened(EscalationKinds.Name(escalation.Kind), climbed.Level);
                    break;
            }
        }
    }

    /// <summary>
    /// The notices and the index. Every write is keyed by what it is about, so repeating it changes nothing; <paramref name="dueBefore"/>
    /// (kept in the command record) lets a repeat without <paramref name="before"/> remove the step's old due row.
    /// </summary>
    private async Task PublishAsync(
        Case state, int version, Case? before, DateTimeOffset? dueBefore, IReadOnlyList<Core.Notices.Notice> stepNotices, CancellationToken cancellationToken)
    {
        await notices.DispatchAsync(stepNotices, cancellationToken).ConfigureAwait(false);
        await index.UpsertAsync(state, before, dueBefore, cancellationToken).ConfigureAwait(false);
        await stats.RecordAsync(state, version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A registration's reservation stops being pending once the step is decided; a person is released when their case closes, or when
    /// the registration was refused (the reservation was made for a case that will never exist).
    /// </summary>
    private async Task FinishRegistrationAsync(CaseStep step, CaseRecord? record, CancellationToken cancellationToken)
    {
        if (step.Command is RegisterRelease register && record is null)
        {
            await persons.ReleaseAsync(register.Person.IdNumberLookup, register.CaseId, cancellationToken).ConfigureAwait(false);
        }
        else if (record is not null && record.State.IsClosed)
        {
            await persons.ReleaseAsync(record.State.Person.IdNumberLookup, record.State.CaseId, cancellationToken).ConfigureAwait(false);
        }

        if (step.ReservationKey is not null)
        {
            await persons.ConfirmAsync(step.ReservationKey, cancellationToken).ConfigureAwait(false);
        }
    }

    public static CaseProgress Progress(CaseRecord? record) => record is null
        ? new CaseProgress(0, null, null, Closed: true)
        : new CaseProgress(record.Version, record.State.State, record.State.IsClosed ? null : CaseWorkflow.NextDueAt(record.State), record.State.IsClosed);
}
