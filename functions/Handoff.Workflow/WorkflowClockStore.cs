using System.Net;
using Azure;
using Azure.Data.Tables;
using Handoff.Core.Time;
using Handoff.Storage.Infrastructure;

namespace Handoff.Workflow;

/// <summary>
/// Anchors the workflow clock once per task hub, in the <c>HandoffClock</c> table (PartitionKey = task hub, RowKey = <c>clock</c>):
/// the first process to start inserts it; every later start, on any instance, reads the same anchor. A development clock therefore
/// does not restart from its configured start when a process restarts, and time never runs backwards.
/// </summary>
public sealed class WorkflowClockStore(StorageClients clients)
{
    private readonly TableClient _table = clients.Table(StorageNames.ClockTable);

    /// <summary>The hub's clock; <paramref name="wanted"/> is stored if the hub has none yet. Returns whether the stored one differs.</summary>
    public async Task<(WorkflowClock Clock, bool DiffersFromWanted)> AnchorAsync(string taskHub, WorkflowClock wanted, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(taskHub, "clock")
        {
            ["RealAnchor"] = wanted.RealAnchor,
            ["WorkflowAnchor"] = wanted.WorkflowAnchor,
            ["Speed"] = wanted.Speed,
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return (wanted, false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
        }

        var stored = (await _table.GetEntityAsync<TableEntity>(taskHub, "clock", cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var clock = new WorkflowClock(
            stored.GetDateTimeOffset("RealAnchor")!.Value, stored.GetDateTimeOffset("WorkflowAnchor")!.Value, stored.GetDouble("Speed")!.Value);
        return (clock, clock.Speed != wanted.Speed || (!wanted.IsReal && clock.WorkflowAnchor != wanted.WorkflowAnchor));
    }
}
