using System.Net;
using Azure;
using Azure.Data.Tables;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Cases;

/// <summary>
/// Keeps a person to one open case (the engine cannot: starting an instance on Azure Storage is check-then-act, and a duplicate
/// start is dropped silently). The Persons table holds one row per person with an open case: PartitionKey = keyed hash of the
/// identity number, RowKey = <c>open</c>, holding the case id. A second reservation is a 409 from storage — atomic, however many
/// registrations race. The case's activity releases it when the case closes. A reservation is also listed under the partition
/// <c>pending</c> until its case's registration commits, so the reconciler can release the reservations of cases that never started
/// with a range query instead of a scan: a registration is marked pending before it enters the case's inbox, so one whose process died on
/// the way is found and finished.
/// </summary>
public sealed class PersonReservations(StorageClients clients)
{
    private const string OpenRowKey = "open";
    private const string PendingPartition = "pending";
    private readonly TableClient _table = clients.Table(StorageNames.PersonsTable);

    /// <summary>
    /// Notes a registration of <paramref name="caseId"/> as pending, before it is written to the case's inbox: the reconciler finds a
    /// registration whose process died on the way (one range query over <c>pending</c>) and finishes it. Returns the row's key, which
    /// the registration carries (its activity removes the row once the registration is decided).
    /// </summary>
    public async Task<string> MarkPendingAsync(string caseId, string commandId, string lookup, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var key = PendingRowKey(now, caseId);
        await _table.UpsertEntityAsync(new TableEntity(PendingPartition, key) { ["CaseId"] = caseId, ["CommandId"] = commandId, ["Lookup"] = lookup },
            TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>Reserves the person for <paramref name="caseId"/>. False when another case holds them; true if this one already does.</summary>
    public async Task<bool> ReserveAsync(string lookup, string caseId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(lookup, OpenRowKey) { ["CaseId"] = caseId, ["ReservedAt"] = now }, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return await HolderAsync(lookup, cancellationToken).ConfigureAwait(false) == caseId;
        }
    }

    /// <summary>The case holding the person, if any.</summary>
    public async Task<string?> HolderAsync(string lookup, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(lookup, OpenRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetString("CaseId") : null;
    }

    /// <summary>Releases the person if <paramref name="caseId"/> holds them (a closed case, or one that never started). Idempotent.</summary>
    public async Task ReleaseAsync(string lookup, string caseId, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(lookup, OpenRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row.HasValue && row.Value!.GetString("CaseId") == caseId)
        {
            try
            {
                await _table.DeleteEntityAsync(lookup, OpenRowKey, row.Value.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
            {
                // Released meanwhile, or taken by a later case: either way no longer ours.
            }
        }
    }

    /// <summary>Reservations whose registration has not committed, made before <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<PendingReservation>> PendingAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingPartition} and RowKey lt {PendingRowKey(before, "")}");
        var pending = new List<PendingReservation>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 100, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            pending.Add(new PendingReservation(row.RowKey, row.GetString("Lookup") ?? "", row.GetString("CaseId") ?? "", row.GetString("CommandId")));
            if (pending.Count >= 100)
            {
                break;
            }
        }

        return pending;
    }

    /// <summary>The registration committed (or the reservation was released): the reservation is no longer pending.</summary>
    public async Task ConfirmAsync(string pendingRowKey, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.DeleteEntityAsync(PendingPartition, pendingRowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>The pending row's key: the instant it was made (so a range finds the old ones), then the case (earlier builds: the lookup).</summary>
    public static string PendingRowKey(DateTimeOffset at, string caseId) => $"{at.UtcTicks:D19}_{caseId}";
}

/// <summary>A registration not yet decided: its case, the person's lookup, and its command (null for rows of earlier builds).</summary>
public sealed record PendingReservation(string RowKey, string Lookup, string CaseId, string? CommandId);
