using System.Text.Json.Nodes;
using System.Xml.Linq;
using Handoff.Storage.Infrastructure;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// The Bicep in infra/ builds and lints clean with the CLI from our package sources, and provisions what the app uses. Most tests
/// read what <c>bicep snapshot</c> predicts a deployment of the China sample (infra/main.bicepparam, chinanorth3) would create, so
/// they check evaluated names, settings and conditions rather than the text of the templates.
/// </summary>
public class InfraTests
{
    private static readonly string Infra = BicepCli.InfraDirectory;

    // One snapshot of the unchanged China sample for the tests that only read it (a snapshot takes several seconds).
    private static readonly Lazy<Task<BicepSnapshot>> ChinaSample = new(() => BicepSnapshot.TakeAsync());

    [Fact]
    public async Task Bicep_MainTemplate_BuildsLintsAndTakesItsSampleParameters()
    {
        var build = await BicepCli.RunAsync(Infra, "build", "main.bicep", "--stdout");
        var lint = await BicepCli.RunAsync(Infra, "lint", "main.bicep");
        var parameters = await BicepCli.RunAsync(Infra, "build-params", "main.bicepparam", "--stdout");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(lint.ExitCode == 0 && !lint.Output.Contains("Warning", StringComparison.OrdinalIgnoreCase), lint.Output);
        Assert.True(parameters.ExitCode == 0, parameters.Output);
        Assert.Contains("environment().suffixes.storage", await File.ReadAllTextAsync(Path.Combine(Infra, "modules", "functionapp.bicep")));
    }

    [Fact]
    public async Task Bicep_Storage_ProvisionsEveryTableAndQueueTheAppUses_WithSharedKeyOff()
    {
        var storage = await File.ReadAllTextAsync(Path.Combine(Infra, "modules", "storage.bicep"));

        foreach (var name in StorageNames.Tables.Concat(StorageNames.Queues))
        {
            Assert.Contains($"'{name}'", storage);
        }

        Assert.Contains("allowSharedKeyAccess: false", storage);
        Assert.Contains("minimumTlsVersion: 'TLS1_2'", storage);
        Assert.Contains("allowBlobPublicAccess: false", storage);
    }

    // Host storage in Azure China: the Durable Functions managed-identity quickstart says clouds other than public Azure need the
    // service URIs, not AzureWebJobsStorage__accountName, from which the extension builds *.core.windows.net URIs
    // (StorageServiceConnectionOptions.ServiceUri). They must be the account's own primaryEndpoints, read at deployment time.
    [Fact]
    public async Task Snapshot_ChinaSample_HostStorageUsesTheAccountsOwnEndpointsAndNoAccountName()
    {
        var snapshot = await ChinaSample.Value;
        var settings = snapshot.AppSettings;
        var account = snapshot.Id("Microsoft.Storage/storageAccounts");
        var identity = snapshot.Id("Microsoft.ManagedIdentity/userAssignedIdentities");

        Assert.Equal("chinanorth3", (string?)snapshot.Single("Microsoft.Web/sites")["location"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var value = settings[$"AzureWebJobsStorage__{service}ServiceUri"];
            Assert.True(BicepSnapshot.IsReference(value, account, $"primaryEndpoints.{service}"), $"{service}: {value}");
        }

        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.True(BicepSnapshot.IsReference(settings["AzureWebJobsStorage__clientId"], identity, "clientId"), settings["AzureWebJobsStorage__clientId"]);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase) && k.EndsWith("__accountName", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys); // no connection string: shared keys are off
        Assert.DoesNotContain(settings, s => s.Value.Contains("core.windows.net", StringComparison.OrdinalIgnoreCase) || s.Value.Contains("core.chinacloudapi.cn", StringComparison.OrdinalIgnoreCase));
    }

    // The Durable extension takes its connection from host.json's storageProvider.connectionName (or the obsolete
    // connectionStringName) and falls back to AzureWebJobsStorage (AzureStorageDurabilityProviderFactory.DefaultConnectionName).
    // The infra only sets AzureWebJobsStorage__*, so host.json must not name another connection.
    [Fact]
    public async Task HostJson_DurableTask_ReadsTheAzureWebJobsStorageConnection()
    {
        var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(BicepCli.Root, "functions", "Handoff.Functions", "host.json")))!;
        var provider = host["extensions"]?["durableTask"]?["storageProvider"]?.AsObject() ?? new JsonObject();

        foreach (var key in new[] { "connectionName", "connectionStringName", "trackingStoreConnectionName", "trackingStoreConnectionStringName" })
        {
            var value = provider.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
            Assert.True(value is null || (string?)value == "AzureWebJobsStorage", $"host.json durableTask.storageProvider.{key} = {value}: the infra sets only AzureWebJobsStorage__*");
        }
    }

    // Telemetry goes in through the app's identity, the component refuses the instrumentation key alone.
    [Fact]
    public async Task Snapshot_ChinaSample_TelemetryIsIngestedThroughTheIdentityWithLocalAuthOff()
    {
        const string monitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
        var snapshot = await ChinaSample.Value;
        var insights = snapshot.Single("Microsoft.Insights/components");
        var insightsId = (string)insights["id"]!;
        var identity = snapshot.Id("Microsoft.ManagedIdentity/userAssignedIdentities");
        var settings = snapshot.AppSettings;

        Assert.True((bool?)insights["properties"]!["DisableLocalAuth"] == true, insights.ToJsonString());
        var publisher = Assert.Single(snapshot.OfType("Microsoft.Authorization/roleAssignments"), r => ((string?)r["properties"]!["roleDefinitionId"])!.EndsWith(monitoringMetricsPublisher, StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith($"[extensionResourceId('{insightsId}', 'Microsoft.Authorization/roleAssignments'", (string?)publisher["id"], StringComparison.OrdinalIgnoreCase); // scoped to the component
        Assert.True(BicepSnapshot.IsReference((string)publisher["properties"]!["principalId"]!, identity, "principalId"), publisher.ToJsonString());
        Assert.Equal("ServicePrincipal", (string?)publisher["properties"]!["principalType"]);

        Assert.True(BicepSnapshot.IsReference(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], insightsId, "ConnectionString"), settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        var authentication = settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
        Assert.StartsWith("[format('Authorization=AAD;ClientId={0}', reference('", authentication, StringComparison.Ordinal);
        Assert.Contains($"reference('{identity}'", authentication, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith(").clientId)]", authentication, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_EntraIngestionOff_KeepsLocalAuthAndSetsNoAuthenticationString()
    {
        var snapshot = await BicepSnapshot.TakeAsync(new Dictionary<string, string> { ["appInsightsEntraIngestion"] = "false" });

        Assert.True((bool?)snapshot.Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"] == false);
        Assert.Equal(string.Empty, snapshot.AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    // API versions (the names are InfraNameTests).
    [Fact]
    public async Task Lint_RecentApiVersionsRule_IsOnAndFlagsNothing()
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Infra, "bicepconfig.json")))!;
        var level = (string?)config["analyzers"]?["core"]?["rules"]?["use-recent-api-versions"]?["level"];
        var lint = await BicepCli.RunAsync(Infra, "lint", "main.bicep");

        Assert.Contains(level, new[] { "warning", "error" });
        Assert.True(lint.ExitCode == 0 && !lint.Output.Contains("use-recent-api-versions", StringComparison.Ordinal), lint.Output);
    }

    // The plan infra/README.md argues for is the one the template deploys, on the .NET the project targets.
    [Fact]
    public async Task Snapshot_ChinaSample_RunsOnLinuxElasticPremiumWithAWarmInstanceAndTheProjectsDotnet()
    {
        var snapshot = await ChinaSample.Value;
        var plan = snapshot.Single("Microsoft.Web/serverfarms");
        var site = snapshot.Single("Microsoft.Web/sites");
        var targetFramework = XDocument.Load(Path.Combine(BicepCli.Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;

        Assert.Equal("elastic", (string?)plan["kind"]);
        Assert.Equal("ElasticPremium", (string?)plan["sku"]!["tier"]);
        Assert.True((bool?)plan["properties"]!["reserved"] == true); // Linux
        Assert.True((int?)site["properties"]!["siteConfig"]!["minimumElasticInstanceCount"] >= 1);
        Assert.Equal($"DOTNET-ISOLATED|{targetFramework.Replace("net", string.Empty, StringComparison.Ordinal)}", (string?)site["properties"]!["siteConfig"]!["linuxFxVersion"]);
        Assert.Equal("dotnet-isolated", snapshot.AppSettings["FUNCTIONS_WORKER_RUNTIME"]);
    }
}
