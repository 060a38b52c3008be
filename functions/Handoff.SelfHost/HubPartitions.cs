using System.Text.Json;
using Azure;
using DurableTask.AzureStorage;

namespace Handoff.SelfHost;

/// <summary>
/// The control-queue partitions a task hub was created with, as DurableTask.AzureStorage stores them, and the refusal to run a hub
/// with another count. The engine itself only warns (blob leases: event 121, "This could result in errors for in-flight
/// orchestrations") or says nothing (table leases, its default): it then routes every new message by the new count while the old
/// queues hold the timers already set, so an instance's messages sit in two queues that two workers may own (Azure/durabletask#469,
/// #1068). A new count is a new hub and a move (docs/operations.md, "Moving the open cases to another task hub").
/// </summary>
public static class HubPartitions
{
    /// <summary>
    /// The count stored for the hub: the rows of <c>{hub}Partitions</c> (the table partition manager, the engine's default, one row a
    /// partition), else <c>PartitionCount</c> in <c>{hub}-leases/taskhub.json</c> (the blob partition manager); null for a new hub.
    /// </summary>
    public static async Task<int?> StoredAsync(AzureStorageOrchestrationServiceSettings settings, CancellationToken cancellationToken = default)
    {
        var tables = settings.StorageAccountClientProvider!.Table;
        var table = tables.CreateClient(tables.CreateOptions()).GetTableClient($"{settings.TaskHubName}Partitions");
        try
        {
            var rows = 0;
            await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows++;
            }

            if (rows > 0)
            {
                return rows;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }

        var blobs = settings.StorageAccountClientProvider.Blob;
        var blob = blobs.CreateClient(blobs.CreateOptions()).GetBlobContainerClient($"{settings.TaskHubName.ToLowerInvariant()}-leases").GetBlobClient("taskhub.json");
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(content.Value.Content.ToMemory());
            return json.RootElement.TryGetProperty("PartitionCount", out var count) ? count.GetInt32() : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Creates the hub if it is new; refuses one created with a partition count other than the settings'.</summary>
    /// <exception cref="InvalidOperationException">The hub exists with another partition count.</exception>
    public static async Task EnsureHubAsync(AzureStorageOrchestrationService service, AzureStorageOrchestrationServiceSettings settings, CancellationToken cancellationToken = default)
    {
        if (await StoredAsync(settings, cancellationToken).ConfigureAwait(false) is { } stored && stored != settings.PartitionCount)
        {
            throw new InvalidOperationException(
                $"Task hub {settings.TaskHubName} was created with {stored} control-queue partition{(stored == 1 ? "" : "s")}, and this host is set to "
                + $"{settings.PartitionCount} (Handoff:Durable:PartitionCount). The engine cannot change a hub's count: it would route new messages by "
                + $"{settings.PartitionCount} while the old queues hold the timers already set. Keep {stored} for this hub, or switch the hosts to a new "
                + "hub (HandoffTaskHub) and move the open cases there: docs/operations.md, \"Moving the open cases to another task hub\".");
        }

        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
    }
}
