using Azure.Core;
using Azure.Identity;
using Handoff.Storage.Infrastructure;

namespace Handoff.Functions.Hosting;

/// <summary>
/// Where storage is and how to reach it, in the Azure Functions conventions:
/// a connection string (<c>Handoff:Storage:ConnectionString</c> or <c>AzureWebJobsStorage</c>), or an identity-based connection —
/// <c>AzureWebJobsStorage__tableServiceUri</c> and <c>__queueServiceUri</c>, or <c>AzureWebJobsStorage__accountName</c> with
/// <c>Handoff:Storage:EndpointSuffix</c> (<c>core.windows.net</c>; <c>core.chinacloudapi.cn</c> in Azure China) — authenticated by
/// managed identity (<c>__credential=managedidentity</c>, optional <c>__clientId</c> for a user-assigned one) or, otherwise, the
/// default Azure credential chain. No account key is needed in Azure.
/// </summary>
public static class StorageConnection
{
    public const string Section = "AzureWebJobsStorage";

    /// <summary>The table and queue endpoints of an identity-based connection, or null when none is configured.</summary>
    public static (Uri Table, Uri Queue)? IdentityEndpoints(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (section["tableServiceUri"] is { Length: > 0 } table && section["queueServiceUri"] is { Length: > 0 } queue)
        {
            return (new Uri(table), new Uri(queue));
        }

        if (section["accountName"] is { Length: > 0 } account)
        {
            var suffix = configuration["Handoff:Storage:EndpointSuffix"] is { Length: > 0 } s ? s : "core.windows.net";
            return (new Uri($"https://{account}.table.{suffix}"), new Uri($"https://{account}.queue.{suffix}"));
        }

        return null;
    }

    /// <summary>The credential an identity-based connection uses.</summary>
    public static TokenCredential Credential(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(section["clientId"] is { Length: > 0 } id ? ManagedIdentityId.FromUserAssignedClientId(id) : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
    }

    public static StorageClients Create(IConfiguration configuration, StorageRequestCounter counter)
    {
        if (LocalStorage.ConfiguredConnectionString(configuration) is { } connectionString)
        {
            return StorageClients.FromConnectionString(connectionString, counter.For);
        }

        if (IdentityEndpoints(configuration) is { } endpoints)
        {
            return StorageClients.FromEndpoints(endpoints.Table, endpoints.Queue, Credential(configuration), counter.For);
        }

        throw new InvalidOperationException(
            "No storage configured: set Handoff:Storage:ConnectionString or AzureWebJobsStorage (a connection string), or "
            + "AzureWebJobsStorage__accountName (or __tableServiceUri and __queueServiceUri) for a managed identity.");
    }
}
