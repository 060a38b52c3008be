using DurableTask.AzureStorage;
using Handoff.Api.Hosting;

namespace Handoff.SelfHost;

/// <summary>The engine's storage clients (blobs for leases and large messages, queues, tables), from the same settings as ours.</summary>
public static class EngineStorage
{
    public static StorageAccountClientProvider Clients(IConfiguration configuration)
    {
        if (StorageConnection.ConfiguredConnectionString(configuration) is { } connectionString)
        {
            return new StorageAccountClientProvider(connectionString);
        }

        if (StorageConnection.IdentityEndpoints(configuration) is { } endpoints)
        {
            return new StorageAccountClientProvider(endpoints.Blob, endpoints.Queue, endpoints.Table, StorageConnection.Credential(configuration));
        }

        throw new InvalidOperationException("No storage configured for the Durable Task engine (see Handoff:Storage:ConnectionString or AzureWebJobsStorage).");
    }
}
