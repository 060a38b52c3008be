using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Handoff.Storage.Infrastructure;

namespace Handoff.Api.Hosting;

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

    public const string ConnectionStringKey = "Handoff:Storage:ConnectionString";

    /// <summary>The configured connection string, if any: <c>Handoff:Storage:ConnectionString</c>, else <c>AzureWebJobsStorage</c>.</summary>
    public static string? ConfiguredConnectionString(IConfiguration configuration) =>
        NullIfEmpty(configuration[ConnectionStringKey]) ?? NullIfEmpty(configuration[Section]);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The blob, table and queue endpoints of an identity-based connection, or null when none is configured.</summary>
    public static (Uri Blob, Uri Table, Uri Queue)? IdentityEndpoints(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var account = section["accountName"];
        var suffix = configuration["Handoff:Storage:EndpointSuffix"] is { Length: > 0 } s ? s : "core.windows.net";
        Uri? Service(string name) => section[$"{name}ServiceUri"] is { Length: > 0 } uri
            ? new Uri(uri)
            : account is { Length: > 0 } ? new Uri($"https://{account}.{name}.{suffix}") : null;
        var (blob, table, queue) = (Service("blob"), Service("table"), Service("queue"));
        return table is not null && queue is not null ? (blob ?? new Uri(table.AbsoluteUri.Replace(".table.", ".blob.", StringComparison.Ordinal)), table, queue) : null;
    }

    /// <summary>The credential an identity-based connection uses.</summary>
    public static TokenCredential Credential(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(section["clientId"] is { Length: > 0 } id ? ManagedIdentityId.FromUserAssignedClientId(id) : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
    }

    /// <param name="observer">Optional: one more per-attempt policy per service (the benchmark's request attribution); none in the hosts.</param>
    public static StorageClients Create(IConfiguration configuration, StorageRequestCounter counter, Func<string, HttpPipelinePolicy>? observer = null)
    {
        if (ConfiguredConnectionString(configuration) is { } connectionString)
        {
            return StorageClients.FromConnectionString(connectionString, counter.For, observer: observer);
        }

        if (IdentityEndpoints(configuration) is { } endpoints)
        {
            return StorageClients.FromEndpoints(endpoints.Table, endpoints.Queue, Credential(configuration), counter.For, observer);
        }

        throw new InvalidOperationException(
            "No storage configured: set Handoff:Storage:ConnectionString or AzureWebJobsStorage (a connection string), or "
            + "AzureWebJobsStorage__accountName (or __tableServiceUri and __queueServiceUri) for a managed identity.");
    }
}
