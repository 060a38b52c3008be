using System.Xml.Linq;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Handoff.Pages.Infrastructure;

/// <summary>
/// The Data Protection key ring (which signs session and antiforgery cookies) as blobs in the app's storage account, one per key, so
/// that every instance reads the same ring. The package that does this upstream (Azure.Extensions.AspNetCore.DataProtection.Blobs) is
/// not in our package source; this is the documented extension point, <see cref="IXmlRepository"/>. Keys are stored unencrypted, as
/// with that package when no key-encryption key is configured: access to the container is access to sessions.
/// </summary>
public sealed class BlobKeyRepository(BlobContainerClient container) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        container.CreateIfNotExists();
        return container.GetBlobs()
            .Select(b => XElement.Parse(container.GetBlobClient(b.Name).DownloadContent().Value.Content.ToString()))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        container.CreateIfNotExists();
        container.GetBlobClient($"{friendlyName}.xml").Upload(BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting)), overwrite: false);
    }
}
