using Azure;
using Handoff.Core.Cases;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Statistics;
using Microsoft.Extensions.Logging;

namespace Handoff.Workflow;

/// <summary>
/// Applies what waits in a case's inbox, idempotently — activities run at least once:
/// <list type="number">
/// <item>one read: the case row and its open command rows (accepted; or decided by an earlier run that crashed before publishing);</item>
/// <item>each accepted command in the order it was received, with the tick (if any) in its place, decided by the pure core at the instant
/// it was received — its legal time, whenever it is applied — and committed in one entity-group transaction with the case row (conditional
/// on its ETag) and its history rows: the command row becomes applied (or refused) in the same write, so it is decided once;</item>
/// <item>a command that can never be applied — its payload unreadable, or deciding it broke an invariant of the stored case — is refused
/// with <c>internal-error</c> and noted in the case's file (<see cref="StepFailed"/>), never retried for ever and never failing the case;
/// a storage fault is thrown, so the orchestration retries;</item>
/// <item>the effects outside the partition: the notices (keyed by notice id), the region and due index, the case's facts and its
/// county's dirty marker (the sums catch up off this path), the person's reservation; then the rows are marked published — what the
/// API waits for, and learns in process when it raised the command here.</item>
/// </list>
/// Returns the <see cref="CaseProgress"/> the orchestration carries, with the command ids it decided.
/// </summary>
public sealed class ApplyPendingActivity(
    CaseStore store,
    CaseIndexStore index,
    NoticeDispatcher notices,
    PersonReservations persons,
    RegionStatsStore stats,
    WorkflowEnvironment environment,
    CommandSignals signals,
    ILogger<ApplyPendingActivity> logger,
    RegionStatsCatchUp? catchUp = null,
    HandoffTelemetry? telemetry = null,
    WorkflowTime? time = null)
{
    public const string Name = ApplyPendingRequest.ActivityName;

    public async Task<CaseProgress> RunAsync(ApplyPendingRequest request, CancellationToken cancellationToken = default)
    {
        var caseId = request.CaseId;
        var tick = request.Tick;

        // A caller in this process waits for one of the case's commands: the history comes with the inbox (the same request), so that
        // its answer needs no read of its own.
        var listening = signals.IsListening(caseId);
        var inbox = await store.LoadInboxAsync(caseId, tick?.CommandId, listening, cancellationToken).ConfigureAwait(false);
        if (await AcceptSignalledAsync(caseId, request.Signalled, inbox.Open, cancellationToken).ConfigureAwait(false))
        {
            inbox = await store.LoadInboxAsync(caseId, tick?.CommandId, listening, cancellationToken).ConfigureAwait(false);
        }

        var (record, open, tickRow) = inbox;
        var history = inbox.History is null ? null : new List<HistoryEntry>(inbox.History);

        // Decided and not marked published: by an earlier attempt of this run (or, without a run, by any run) — published again below, with
        // exactly the notices it decided — or by another run of the orchestration, which published them before its call returned: only
        // marked so, in this run's first write to the partition.
        var decidedBefore = open.Where(r => r.Status != CommandStatus.Accepted).OrderBy(r => r.Version).ThenBy(r => r.ReceivedAt).ToList();
        var earlier = decidedBefore.Where(r => request.Run is null || r.Run == request.Run).ToList();
        var settled = new Settled(request.Run is null ? [] : decidedBefore.Where(r => r.Run != request.Run).ToList());
        var waiting = open.Where(r => r.Status == CommandStatus.Accepted).ToList();
        if (tick is not null && tickRow is null)
        {
            waiting.Add(new CommandRecord { CommandId = tick.CommandId, Command = nameof(Tick), ReceivedAt = tick.ReceivedAt, SentBy = Actor.System.OrganisationId, Payload = tick.Command });
        }

        // The order received; a tick among them at its instant. Ties (the same instant) in command-id order, the same on every run.
        waiting.Sort((a, b) => a.ReceivedAt != b.ReceivedAt ? a.ReceivedAt.CompareTo(b.ReceivedAt) : string.CompareOrdinal(a.CommandId, b.CommandId));
        var before = record;
        var decided = new List<CommandRecord>(earlier);
        foreach (var step in waiting)
        {
            CommandRecord row;
            IReadOnlyList<CaseEvent> events;
            (record, row, events) = await DecideAsync(caseId, record, step with { Run = request.Run }, settled, cancellationToken).ConfigureAwait(false);
            decided.Add(row);
            var sequence = (record?.State.EventCount ?? 0) - events.Count;
            history?.AddRange(events.Select(e => new HistoryEntry(++sequence, e)));
        }

        if (decided.Count > 0)
        {
            // Steps of this run decided by an earlier attempt: that attempt may have published the case as it stood after any of them, so
            // every due instant along the way may have a row to remove (each step's row keeps the due instant from before it).
            var duesBefore = earlier.Count == 0 ? null : decided.Select(d => d.DueBefore).OfType<DateTimeOffset>().ToList();
            await PublishAsync(caseId, record, earlier.Count == 0 ? before?.State : null, duesBefore, decided, history, markPublished: request.Run is null, cancellationToken)
                .ConfigureAwait(false);
        }

        return Progress(record, decided.Select(d => d.CommandId).ToList());
    }

    public static CaseProgress Progress(CaseRecord? record, IReadOnlyList<string>? applied = null) => record is null
        ? new CaseProgress(0, null, null, Closed: true, applied)
        : new CaseProgress(record.Version, record.State.State, record.State.IsClosed ? null : CaseWorkflow.NextDueAt(record.State), record.State.IsClosed, applied);

    /// <summary>
    /// Steps whose signals carried them and that have no row in the inbox — raised by an earlier build, which wrote none — are written
    /// there now, as received. A step whose row is there already (published, so not among the open ones) is not written twice. Returns
    /// whether any was written.
    /// </summary>
    private async Task<bool> AcceptSignalledAsync(string caseId, IReadOnlyList<CaseStep>? signalled, IReadOnlyList<CommandRecord> open, CancellationToken cancellationToken)
    {
        var written = false;
        foreach (var step in signalled ?? [])
        {
            if (step.Command is not Tick && open.All(r => r.CommandId != step.CommandId))
            {
                written |= await store.AcceptAsync(caseId, CommandRecord.Accepted(step.CommandId, step.Command, step.ReceivedAt, step.RequestHash, step.ReservationKey),
                    cancellationToken).ConfigureAwait(false) is not null;
            }
        }

        return written;
    }

    /// <summary>Decides one step at its legal time and commits it; a step that can never be applied is refused as <c>internal-error</c>.</summary>
    private async Task<(CaseRecord? Record, CommandRecord Row, IReadOnlyList<CaseEvent> Events)> DecideAsync(
        string caseId, CaseRecord? record, CommandRecord step, Settled settled, CancellationToken cancellationToken)
    {
        var now = step.ReceivedAt;
        var failure = step.PayloadError;
        Decision? decision = null;
        if (failure is null)
        {
            try
            {
                decision = CaseWorkflow.Decide(record?.State, step.Payload!, environment.Context(now));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The core is pure: what throws there throws on every retry. A broken invariant of the stored case, not a fault to wait out.
                failure = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        if (decision is { Events.Count: > 0 } && decision.Events.Count + 2 > CaseStore.MaxRowsPerStep)
        {
            failure = $"the step decided {decision.Events.Count} events, more than one transaction holds";
        }

        if (failure is not null)
        {
            return await FailAsync(caseId, record, step, failure, settled, cancellationToken).ConfigureAwait(false);
        }

        var dueBefore = record is { State.IsClosed: false } ? CaseWorkflow.NextDueAt(record.State) : null;
        if (decision!.Rejection is not null || decision.Events.Count == 0)
        {
            var row = step with
            {
                Status = decision.Rejection is null ? CommandStatus.Applied : CommandStatus.Refused,
                Rejection = decision.Rejection,
                Version = record?.Version ?? 0,
                DueBefore = dueBefore,
                Published = false,
            };
            if (!await store.RecordAsync(caseId, row, settled.Take(), cancellationToken).ConfigureAwait(false))
            {
                throw Raced(caseId, step);
            }

            if (decision.Rejection is { } rejection)
            {
                Log.StepRefused(logger, caseId, step.Command, rejection.Code);
            }

            return (record, row, []);
        }

        var after = new CaseRecord(decision.State!, (record?.Version ?? 0) + 1, default);
        var applied = step with { Status = CommandStatus.Applied, Version = after.Version, Notices = decision.Notices, DueBefore = dueBefore, Published = false };
        var etag = await store.CommitAsync(record, after, decision.Events, applied, settled.Take(), cancellationToken).ConfigureAwait(false) ?? throw Raced(caseId, step);
        Log.StepApplied(logger, caseId, after.Version, step.Command, decision.Events.Count, decision.Notices.Count);
        Measure(step, record, decision);
        foreach (var set in decision.Events.OfType<DeadlineSet>().Where(e => !e.Deadline.CalendarConfirmed))
        {
            Log.CalendarUnconfirmed(logger, caseId, set.Deadline.Step.ToString(), set.Deadline.LastDay);
        }

        return (after with { ETag = etag }, applied, decision.Events);
    }

    /// <summary>Refuses a step that can never be applied, and notes it in the case's file (when there is a case).</summary>
    private async Task<(CaseRecord? Record, CommandRecord Row, IReadOnlyList<CaseEvent> Events)> FailAsync(
        string caseId, CaseRecord? record, CommandRecord step, string failure, Settled settled, CancellationToken cancellationToken)
    {
        Log.StepFailed(logger, caseId, step.Command, step.CommandId, failure);
        var row = step with
        {
            Status = CommandStatus.Refused,
            Rejection = Rejection.Internal("The command could not be applied and was not recorded; it will not be tried again. Operators: see the log (event 1005)."),
            Version = record?.Version ?? 0,
            DueBefore = record is { State.IsClosed: false } ? CaseWorkflow.NextDueAt(record.State) : null,
            Published = false,
        };
        if (record is null)
        {
            return await store.RecordAsync(caseId, row, settled.Take(), cancellationToken).ConfigureAwait(false) ? (record, row, []) : throw Raced(caseId, step);
        }

        var by = step.Payload?.By ?? new Actor(step.SentBy ?? Actor.System.OrganisationId, "unknown");
        CaseEvent failed = new StepFailed(step.ReceivedAt, by, step.Command, step.CommandId, failure.Length > 2000 ? failure[..2000] : failure);
        var after = new CaseRecord(CaseWorkflow.Evolve(record.State, failed), record.Version + 1, default);
        row = row with { Version = after.Version };
        var etag = await store.CommitAsync(record, after, [failed], row, settled.Take(), cancellationToken).ConfigureAwait(false) ?? throw Raced(caseId, step);
        return (after with { ETag = etag }, row, [failed]);
    }

    /// <summary>
    /// The effects outside the case's partition, each keyed by what it is about so that repeating it changes nothing — the notices, the
    /// lists and the figures written side by side, none depending on another; then the person's reservation; then the rows are marked
    /// published and the API, if it waits in this process, is told.
    /// </summary>
    private async Task PublishAsync(
        string caseId, CaseRecord? record, Case? before, IReadOnlyCollection<DateTimeOffset>? duesBefore, IReadOnlyList<CommandRecord> decided, IReadOnlyList<HistoryEntry>? history,
        bool markPublished, CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            notices.DispatchAsync([.. decided.SelectMany(d => d.Notices)], cancellationToken),
            record is null ? Task.CompletedTask : index.UpsertAsync(record.State, before, duesBefore, record.State.IsClosed ? decided.Max(d => d.ReceivedAt) : null, cancellationToken),
            record is null ? Task.CompletedTask : RecordFiguresAsync(record, cancellationToken)).ConfigureAwait(false);
        if (record is { State.IsClosed: true })
        {
            await persons.ReleaseAsync(record.State.Person.IdNumberLookup, caseId, cancellationToken).ConfigureAwait(false);
        }

        foreach (var registration in decided.Where(d => d.IsRegistration))
        {
            // A registration that made no case gives the person back; its pending note goes once it is decided, either way.
            if (record is null && registration.Payload is OpenCase refused)
            {
                await persons.ReleaseAsync(refused.Person.IdNumberLookup, caseId, cancellationToken).ConfigureAwait(false);
            }

            if (registration.ReservationKey is { } key)
            {
                await persons.ConfirmAsync(key, cancellationToken).ConfigureAwait(false);
            }
        }

        // A run with an id leaves the marking to the next run's first write (its call returning says the publishing is done).
        if (markPublished)
        {
            await store.MarkPublishedAsync(caseId, decided, cancellationToken).ConfigureAwait(false);
        }

        foreach (var row in decided)
        {
            signals.Published(caseId, row with { Published = true }, record, history);
        }
    }

    /// <summary>The case's facts and the dirty markers of the counties it counts in; the catch-up is told, with each marker's ETag.</summary>
    private async Task RecordFiguresAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        foreach (var marked in await stats.RecordAsync(record.State, record.Version, cancellationToken).ConfigureAwait(false))
        {
            catchUp?.Note(marked.County, marked.Marker);
        }
    }

    /// <summary>Timer lateness (a tick that found something due) and the escalations the step opened or climbed.</summary>
    private void Measure(CommandRecord step, CaseRecord? before, Decision decision)
    {
        if (telemetry is null)
        {
            return;
        }

        if (step.Payload is Tick && time is not null && before is not null && CaseWorkflow.NextDueAt(before.State) is { } due && due <= step.ReceivedAt)
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

    /// <summary>Steps an earlier run published, to be marked so by this run's first write to the partition (then none are left).</summary>
    private sealed class Settled(List<CommandRecord> rows)
    {
        private List<CommandRecord> _rows = rows;

        public List<CommandRecord> Take()
        {
            var taken = _rows;
            _rows = [];
            return taken;
        }
    }

    /// <summary>
    /// Only this case's orchestration decides its steps, so a row that changed under us is a duplicated run of this very activity racing
    /// itself: fail, and let the retry read again (it finds the step decided).
    /// </summary>
    private static InvalidOperationException Raced(string caseId, CommandRecord step) =>
        new($"Case {caseId} changed while step {step.CommandId} was applied; retrying.");
}
