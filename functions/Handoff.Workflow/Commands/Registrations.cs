using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Notices;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Handoff.Workflow;

/// <summary>
/// What follows a registration's arrival in its case's inbox, shared by the command path and the reconciler (which finishes one whose
/// process died on the way): the person is reserved — one open case per person, atomic in storage — and the case's orchestration
/// started; or, when another open case holds the person, the registration is refused and the supervisors who may see that case are told.
/// </summary>
public sealed partial class Registrations(
    CaseStore store, PersonReservations persons, NoticeDispatcher notices, WorkflowEnvironment environment, CaseInstances instances, WorkflowTime time,
    ILogger<Registrations> logger)
{
    /// <summary>The refusal of a registration for a person with an open case. It names neither that case nor its organisation: whether a
    /// person is under rehabilitation elsewhere is confidential (戒毒条例 7②).</summary>
    public static readonly Rejection OpenCaseExists = Rejection.Conflict("open-case-exists",
        "already has an open handoff; the existing record must be closed before a new one is registered", "person.idNumber");

    /// <summary>The refusal of an organisation's own repeat: the open file is one it holds (the centre holding the person, or the deciding
    /// organ of its decision), so it is named (nothing confidential) and no supervisor is told of a duplicate that is not one. A centre
    /// holding a person whose file began with the decision sends the release notice on that file instead of registering the release.</summary>
    public static Rejection OwnOpenCase(string caseId) => Rejection.Conflict("own-open-case",
        $"this organisation already holds this person's open file, case {caseId}: act on that case", "person.idNumber");

    /// <summary>
    /// Reserves the person for the accepted <paramref name="row"/> and starts its case's orchestration (a start under a running id changes
    /// nothing). Returns the refusal when another open case holds the person: the row is then refused and its pending note removed.
    /// </summary>
    public async Task<Rejection?> ProceedAsync(DurableTaskClient client, string caseId, CommandRecord row, OpenCase register, CancellationToken cancellationToken = default)
    {
        if (!await ReserveAsync(register.Person.IdNumberLookup, caseId, cancellationToken).ConfigureAwait(false))
        {
            var existing = await HolderAsync(register.Person.IdNumberLookup, cancellationToken).ConfigureAwait(false);
            var rejection = existing is { } own && (own.State.CentreId == register.By.OrganisationId || own.State.DecisionAuthorityId == register.By.OrganisationId)
                ? OwnOpenCase(own.State.CaseId)
                : OpenCaseExists;

            // Conditional on the row as read: if the case's activity decided it meanwhile, its decision stands.
            if (await store.RecordAsync(caseId, row with { Status = CommandStatus.Refused, Rejection = rejection, Published = true, Payload = null }, cancellationToken: cancellationToken)
                    .ConfigureAwait(false)
                && rejection == OpenCaseExists && existing is not null)
            {
                await TellSupervisorsOfDuplicateAsync(existing, register, row.ReceivedAt, cancellationToken).ConfigureAwait(false);
            }

            if (row.ReservationKey is { } key)
            {
                await persons.ConfirmAsync(key, cancellationToken).ConfigureAwait(false);
            }

            return rejection;
        }

        await instances.StartAsync(client, caseId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Reserves the person for the case. A hold by a case that is closed is stale — its release was lost (a write the storage
    /// acknowledged and then lost, or a publication that never finished) — and gives way: a closed case never needs its person.
    /// </summary>
    private async Task<bool> ReserveAsync(string lookup, string caseId, CancellationToken cancellationToken)
    {
        if (await persons.ReserveAsync(lookup, caseId, time.Real.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        if (await persons.HolderAsync(lookup, cancellationToken).ConfigureAwait(false) is not { } holder || holder == caseId
            || (await store.LoadAsync(holder, cancellationToken: cancellationToken).ConfigureAwait(false)).Record is not { State.IsClosed: true })
        {
            return false; // held by an open case, or by a registration not yet made (its pending note decides it)
        }

        await persons.ReleaseAsync(lookup, holder, cancellationToken).ConfigureAwait(false);
        StaleHoldReleased(logger, holder, caseId);
        return await persons.ReserveAsync(lookup, caseId, time.Real.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The open case holding the person, if it has committed (null while the other registration is not yet made, or if it
    /// could not be read: the refusal is then the general one, and nobody is told).</summary>
    private async Task<CaseRecord?> HolderAsync(string lookup, CancellationToken cancellationToken)
    {
        try
        {
            return await persons.HolderAsync(lookup, cancellationToken).ConfigureAwait(false) is { } holder
                ? (await store.LoadAsync(holder, cancellationToken: cancellationToken).ConfigureAwait(false)).Record
                : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HolderNotRead(logger, ex, lookup.Length > 8 ? lookup[..8] : lookup);
            return null;
        }
    }

    /// <summary>
    /// The refused registration reaches the supervisors who may see the open case (<see cref="NoticeComposer.DuplicateRegistration"/>).
    /// Best effort: the caller's answer is the same 409 whether or not the notice could be sent, and a failure is logged.
    /// </summary>
    private async Task TellSupervisorsOfDuplicateAsync(CaseRecord existing, OpenCase command, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            await notices.DispatchAsync(NoticeComposer.DuplicateRegistration(existing.State, command, receivedAt, environment.Directory), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DuplicateNotSent(logger, ex, command.CaseId);
        }
    }

    [LoggerMessage(2106, LogLevel.Warning, "Case {Holder} is closed but still held its person; the hold was released for registration {CaseId}")]
    private static partial void StaleHoldReleased(ILogger logger, string holder, string caseId);

    [LoggerMessage(2107, LogLevel.Warning, "The open case holding a person (lookup {LookupPrefix}…) could not be read; the registration is refused without naming it")]
    private static partial void HolderNotRead(ILogger logger, Exception exception, string lookupPrefix);

    [LoggerMessage(2103, LogLevel.Warning, "Registration {CaseId} was refused as a duplicate; the notice to the supervisors could not be sent")]
    private static partial void DuplicateNotSent(ILogger logger, Exception exception, string caseId);
}
