using System.Text.Json;
using Azure.Data.Tables;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Index;

/// <summary>
/// The CaseIndex table: one row per case for each distinct region of its organisations.
/// PartitionKey = province (2 digits), RowKey = <c>{region6}_{caseId}</c>, so a supervisor's scope prefix (2, 4 or 6 digits)
/// is a range within one partition and an organisation's cases are a range at its own region: no query scans the table.
/// </summary>
public sealed class CaseIndexStore(StorageClients clients, OrganisationDirectory directory)
{
    private readonly TableClient _table = clients.Table(StorageNames.CaseIndexTable);

    /// <summary>Writes the case's index rows (one transaction per province). Idempotent.</summary>
    public async Task UpsertAsync(Case c, CancellationToken cancellationToken = default)
    {
        var summary = CaseSummary.From(c);
        var json = JsonSerializer.Serialize(summary, CoreJson.Options);
        foreach (var province in CaseAccess.Regions(c, directory).GroupBy(r => r.Province))
        {
            var actions = province.Select(region =>
            {
                var row = new TableEntity(province.Key, $"{region.Value}_{c.CaseId}")
                {
                    ["CaseId"] = c.CaseId,
                    ["State"] = summary.State,
                    ["Overdue"] = summary.Overdue,
                    ["OpenEscalations"] = summary.Escalations.Count(e => e.Status == EscalationStatus.Open),
                    ["CentreId"] = c.CentreId,
                    ["OfficeId"] = c.OfficeId,
                    ["PoliceStationId"] = c.PoliceStationId,
                    ["DecisionAuthorityId"] = c.DecisionAuthorityId,
                };
                LargeText.Write(row, "Summary", json);
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
            }).ToList();
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The cases the caller may list: for a supervisor, every case with an organisation under its region prefix; for any other
    /// organisation, the cases it is a party to or was told of. Filters run inside the partition range.
    /// </summary>
    public async Task<IReadOnlyList<CaseSummary>> QueryAsync(
        Organisation caller, string? state, bool? overdue, CancellationToken cancellationToken = default)
    {
        var prefix = caller.Kind == OrganisationKind.Supervisor ? caller.Region.ScopePrefix : caller.Region.Value;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {caller.Region.Province} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        if (state is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"State eq {state}");
        }

        if (overdue is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Overdue eq {overdue.Value}");
        }

        var results = new Dictionary<string, CaseSummary>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var summary = JsonSerializer.Deserialize<CaseSummary>(LargeText.Read(row, "Summary"), CoreJson.Options)!;
            if (caller.Kind == OrganisationKind.Supervisor || summary.Concerns(caller.Id))
            {
                results.TryAdd(summary.CaseId, summary);
            }
        }

        return results.Values.OrderBy(s => s.NextDueAt ?? DateTimeOffset.MaxValue).ThenBy(s => s.CaseId, StringComparer.Ordinal).ToList();
    }
}
