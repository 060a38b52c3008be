using Azure.Identity;
using Handoff.Api.Hosting;
using Handoff.Storage.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Handoff.Functions.Tests.Hosting;

public class StorageConnectionTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Create_AccountNameInAzureChina_UsesTheChinaEndpointsAndAManagedIdentity()
    {
        var configuration = Configuration(
            ("AzureWebJobsStorage:accountName", "handoffgd"), ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001"), ("Handoff:Storage:EndpointSuffix", "core.chinacloudapi.cn"));

        var clients = StorageConnection.Create(configuration, new StorageRequestCounter());

        Assert.Equal("https://handoffgd.queue.core.chinacloudapi.cn/", clients.Queues.Uri.ToString());
        Assert.Equal("handoffgd", clients.Tables.AccountName);
        Assert.IsType<ManagedIdentityCredential>(StorageConnection.Credential(configuration));
    }

    [Fact]
    public void IdentityEndpoints_ServiceUris_WinOverAccountName()
    {
        var configuration = Configuration(
            ("AzureWebJobsStorage:accountName", "ignored"),
            ("AzureWebJobsStorage:tableServiceUri", "https://handoff.table.core.windows.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://handoff.queue.core.windows.net"),
            ("AzureWebJobsStorage:blobServiceUri", "https://handoff.blob.core.chinacloudapi.cn"));

        var (blob, table, queue) = StorageConnection.IdentityEndpoints(configuration)!.Value;

        Assert.Equal("handoff.blob.core.chinacloudapi.cn", blob.Host);
        Assert.Equal("handoff.table.core.windows.net", table.Host);
        Assert.Equal("handoff.queue.core.windows.net", queue.Host);
        Assert.IsType<DefaultAzureCredential>(StorageConnection.Credential(configuration));
    }

    [Fact]
    public void Create_NothingConfigured_SaysWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.Create(Configuration(), new StorageRequestCounter()));

        Assert.Contains("AzureWebJobsStorage__accountName", error.Message);
    }

    [Fact]
    public void Create_ConnectionString_WinsOverIdentity()
    {
        var configuration = Configuration(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("AzureWebJobsStorage:accountName", "x"));

        var clients = StorageConnection.Create(configuration, new StorageRequestCounter());

        Assert.Equal("devstoreaccount1", clients.Tables.AccountName);
    }
}
