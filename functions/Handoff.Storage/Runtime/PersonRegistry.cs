using System.Net;
using Azure;
using Azure.Data.Tables;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Runtime;

/// <summary>
/// The Persons table keeps a person to one open case: PartitionKey = keyed hash of the identity number, RowKey = <c>open</c>,
/// holding the case id. It lives in another partition than the case, so it is claimed before the case commits and checked lazily:
/// a claim pointing at a closed case, or at a case that never committed after <see cref="RuntimeOptions.PersonLockStaleAfter"/>,
/// is taken over (conditionally on its ETag).
/// </summary>
public sealed class PersonRegistry(StorageClients clients, CaseStore cases, TimeProvider time, RuntimeOptions options)
{
    private const string RowKey = "open";
    private readonly TableClient _table = clients.Table(StorageNames.PersonsTable);

    /// <summary>Claims the person for <paramref name="caseId"/>, or says which open case already holds them.</summary>
    public async Task<Rejection?> ClaimAsync(string lookup, string caseId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var claim = new TableEntity(lookup, RowKey) { ["CaseId"] = caseId, ["ClaimedAt"] = time.GetUtcNow() };
            try
            {
                await _table.AddEntityAsync(claim, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
            }

            var existing = (await _table.GetEntityAsync<TableEntity>(lookup, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var holder = existing.GetString("CaseId") ?? "";
            if (holder == caseId)
            {
                return null;
            }

            var (other, _) = await cases.LoadAsync(holder, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (other is not null && !other.State.IsClosed)
            {
                return Rejection.Conflict("open-case-exists", $"This person already has an open case: {holder}.", "person.idNumber");
            }

            if (other is null && time.GetUtcNow() - (existing.GetDateTimeOffset("ClaimedAt") ?? default) < options.PersonLockStaleAfter)
            {
                return Rejection.Conflict("registration-in-progress", $"A registration for this person is in progress ({holder}); retry shortly.", "person.idNumber");
            }

            try
            {
                await _table.UpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
            {
            }
        }

        return Rejection.Conflict("registration-contended", "Concurrent registrations for this person; retry.", "person.idNumber");
    }
}
