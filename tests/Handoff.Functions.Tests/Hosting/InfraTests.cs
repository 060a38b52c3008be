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

    // Deploying: the package is a blob URL, so the app only picks a new one up when the URL changes and the app restarts, and the
    // platform only learns the triggers when they are synced. The script's steps, run against a fake az.
    [Fact]
    public async Task DeployScript_NewBuild_UploadsAVersionedBlobPointsTheAppAtItThenRestartsAndSyncsTriggers()
    {
        using var run = await DeployScriptRun.StartAsync(previousPackage: null, blobExists: false);

        Assert.True(run.ExitCode == 0, run.Output);
        var calls = run.Calls;
        var blob = "functionapp-test1234.zip";
        var packageUri = $"{DeployScriptRun.Container}/{blob}";
        var first = calls.FindIndex(c => c.StartsWith("deployment group create", StringComparison.Ordinal));
        var upload = calls.FindIndex(c => c.StartsWith("storage blob upload", StringComparison.Ordinal));
        var second = calls.FindIndex(upload + 1, c => c.StartsWith("deployment group create", StringComparison.Ordinal));
        var restart = calls.FindIndex(c => c.StartsWith("functionapp restart", StringComparison.Ordinal));
        var sync = calls.FindIndex(c => c.StartsWith("resource invoke-action", StringComparison.Ordinal));

        Assert.True(first >= 0 && first < upload && upload < second && second < restart && restart < sync, string.Join('\n', calls));
        Assert.Contains("HANDOFF_PACKAGE_URI=;", calls[first]); // nothing ran before: the app starts empty
        Assert.Contains("--auth-mode login", calls[upload]);
        Assert.Contains($"-n {blob}", calls[upload]);
        Assert.Contains($"HANDOFF_PACKAGE_URI={packageUri};", calls[second]);
        Assert.Contains("-n handoffgd-sjctf3jv", calls[restart]);
        Assert.Contains("--action syncfunctiontriggers", calls[sync]);
        Assert.Contains($"--ids {DeployScriptRun.SiteId}", calls[sync]);
        Assert.Contains(calls, c => c.StartsWith("monitor log-analytics query", StringComparison.Ordinal));
        Assert.Contains($"https://{DeployScriptRun.Host}/healthz", run.CurlCalls);
    }

    [Fact]
    public async Task DeployScript_AppAlreadyRuns_FirstPassKeepsItsPackageAndAnExistingVersionIsNotOverwritten()
    {
        var running = $"{DeployScriptRun.Container}/functionapp-old5678.zip";
        using var run = await DeployScriptRun.StartAsync(previousPackage: running, blobExists: true);

        Assert.True(run.ExitCode == 0, run.Output);
        var deployments = run.Calls.Where(c => c.StartsWith("deployment group create", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, deployments.Count);
        Assert.Contains($"HANDOFF_PACKAGE_URI={running};", deployments[0]);
        Assert.Contains($"HANDOFF_PACKAGE_URI={DeployScriptRun.Container}/functionapp-test1234.zip;", deployments[1]);
        Assert.DoesNotContain(run.Calls, c => c.StartsWith("storage blob upload", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeployScript_ParametersWithoutThePackageVariable_AreRefusedBeforeAnyDeployment()
    {
        using var run = await DeployScriptRun.StartAsync(previousPackage: null, blobExists: false, parametersFile: "no-package.bicepparam");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("HANDOFF_PACKAGE_URI", run.Output);
        Assert.DoesNotContain(run.Calls, c => c.StartsWith("deployment group create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeployScript_VaultWithoutTheIdNumberKey_StopsAfterTheInfrastructureWithTheCommandToSetIt()
    {
        using var run = await DeployScriptRun.StartAsync(previousPackage: null, blobExists: false, keySet: false);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("az keyvault secret set --vault-name handoffgd-kv-sjctf3jv -n id-number-key", run.Output);
        Assert.Single(run.Calls, c => c.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Calls, c => c.StartsWith("storage blob upload", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Snapshot_PackageUriFromTheEnvironment_IsWhatTheAppRunsFromThroughTheIdentity()
    {
        var uri = "https://handoffgdsjctf3jv.blob.core.chinacloudapi.cn/deployments/functionapp-abc.zip";
        var snapshot = await BicepSnapshot.TakeAsync(environment: new Dictionary<string, string> { ["HANDOFF_PACKAGE_URI"] = uri });
        var settings = snapshot.AppSettings;

        Assert.Equal(uri, settings["WEBSITE_RUN_FROM_PACKAGE"]);
        Assert.Equal(snapshot.Id("Microsoft.ManagedIdentity/userAssignedIdentities"), settings["WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"], ignoreCase: true);
        Assert.Equal(uri, (string?)snapshot.Outputs["packageUri"]);
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
