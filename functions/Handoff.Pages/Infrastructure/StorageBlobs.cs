using Azure.Storage.Blobs;
using Handoff.Api.Hosting;

namespace Handoff.Pages.Infrastructure;

/// <summary>A blob container on the app's storage, reached the way <see cref="StorageConnection"/> reaches tables and queues.</summary>
internal static class StorageBlobs
{
    public static BlobContainerClient Container(IConfiguration configuration, string name)
    {
        if (StorageConnection.ConfiguredConnectionString(configuration) is { } connectionString)
        {
            return new BlobServiceClient(connectionString).GetBlobContainerClient(name);
        }

        if (StorageConnection.IdentityEndpoints(configuration) is { } endpoints)
        {
            return new BlobServiceClient(endpoints.Blob, StorageConnection.Credential(configuration)).GetBlobContainerClient(name);
        }

        throw new InvalidOperationException("No storage configured for the session key ring (see StorageConnection).");
    }
}
