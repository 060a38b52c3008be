using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Handoff.Api.Hosting;

namespace Handoff.SelfHost;

/// <summary>The engine's storage clients (blobs for leases and large messages, queues, tables), from the same settings as ours.</summary>
public static class EngineStorage
{
    /// <param name="observer">Optional: an extra per-attempt pipeline policy per service ("blob", "queue", "table") on the engine's
    /// clients, as <c>StorageClients</c> takes one for ours; the benchmark counts the engine's requests with it. The hosts pass none.</param>
    public static StorageAccountClientProvider Clients(IConfiguration configuration, Func<string, HttpPipelinePolicy>? observer = null)
    {
        var (blob, queue, table) = (Observed(new BlobClientOptions(), "blob", observer), Observed(new QueueClientOptions(), "queue", observer),
            Observed(new TableClientOptions(), "table", observer));
        if (StorageConnection.ConfiguredConnectionString(configuration) is { } connectionString)
        {
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(connectionString, blob),
                StorageServiceClientProvider.ForQueue(connectionString, queue),
                StorageServiceClientProvider.ForTable(connectionString, table));
        }

        if (StorageConnection.IdentityEndpoints(configuration) is { } endpoints)
        {
            var credential = StorageConnection.Credential(configuration);
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(endpoints.Blob, credential, blob),
                StorageServiceClientProvider.ForQueue(endpoints.Queue, credential, queue),
                StorageServiceClientProvider.ForTable(endpoints.Table, credential, table));
        }

        throw new InvalidOperationException("No storage configured for the Durable Task engine (see Handoff:Storage:ConnectionString or AzureWebJobsStorage).");
    }

    /// <summary>The engine adds its own policies (throttling, lease timeouts, monitoring) to these options when it builds its clients.</summary>
    private static T Observed<T>(T options, string service, Func<string, HttpPipelinePolicy>? observer)
        where T : ClientOptions
    {
        if (observer is not null)
        {
            options.AddPolicy(observer(service), HttpPipelinePosition.PerRetry);
        }

        return options;
    }
}
