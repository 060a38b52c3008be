using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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

    // Notice channels (group robots and e-mail). A channels file as an operator writes it for deploy.sh, with made-up credentials.
    private const string ChannelsFile = """
        [
          { "organisationId": "meizhoucentre", "platform": "WeCom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-0001",
            "kinds": "escalation,escalation-resolved", "mentions": "13800000001, 13900000002" },
          { "organisationId": "meizhoucentre", "platform": "DingTalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=dingtalk-token-0002",
            "secret": "SECdingtalk-sign-0003" },
          { "organisationId": "shaoguanpsb", "platform": "Feishu", "url": "https://open.feishu.cn/open-apis/bot/v2/hook/feishu-hook-0004",
            "secret": "feishu-sign-0005", "perMinute": 60 },
          { "organisationId": "shaoguanpsb", "platform": "Email", "emailTo": "duty@example.gov.cn,chief@example.gov.cn" }
        ]
        """;

    private const string SmtpPassword = "smtp-password-0006";

    // Every credential in ChannelsFile and SmtpPassword: none may reach a command line, a parameter or the script's output.
    private static readonly string[] Credentials =
        ["wecom-key-0001", "dingtalk-token-0002", "dingtalk-sign-0003", "feishu-hook-0004", "feishu-sign-0005", "13800000001", "13900000002", SmtpPassword];

    // The channels parameter deploy.sh makes of ChannelsFile: the same without the credentials.
    private const string ChannelsParameter = """
        [{"organisationId":"meizhoucentre","platform":"WeCom","kinds":"escalation,escalation-resolved","mentions":true},
         {"organisationId":"meizhoucentre","platform":"DingTalk"},
         {"organisationId":"shaoguanpsb","platform":"Feishu","perMinute":60},
         {"organisationId":"shaoguanpsb","platform":"Email","emailTo":"duty@example.gov.cn,chief@example.gov.cn"}]
        """;

    private static readonly Dictionary<string, string> MailServerAndLinks = new()
    {
        ["smtpHost"] = "'smtp.example.gov.cn'",
        ["smtpPort"] = "465",
        ["smtpSecurity"] = "'SslOnConnect'",
        ["smtpUserName"] = "'handoff'",
        ["smtpFrom"] = "'handoff@example.gov.cn'",
        ["publicUrl"] = "'https://handoff.example.gov.cn/'",
    };

    // Setting name to the Key Vault secret it must refer to, for ChannelsParameter with MailServerAndLinks.
    private static readonly Dictionary<string, string> ChannelSecrets = new()
    {
        ["Handoff__Channels__meizhoucentre__WeCom__Url"] = "channel-meizhoucentre-wecom-url",
        ["Handoff__Channels__meizhoucentre__DingTalk__Url"] = "channel-meizhoucentre-dingtalk-url",
        ["Handoff__Channels__meizhoucentre__DingTalk__Secret"] = "channel-meizhoucentre-dingtalk-secret",
        ["Handoff__Channels__meizhoucentre__Mentions"] = "channel-meizhoucentre-mentions",
        ["Handoff__Channels__shaoguanpsb__Feishu__Url"] = "channel-shaoguanpsb-feishu-url",
        ["Handoff__Channels__shaoguanpsb__Feishu__Secret"] = "channel-shaoguanpsb-feishu-secret",
        ["Handoff__Smtp__Password"] = "smtp-password",
    };

    [Fact]
    public async Task Snapshot_Channels_EveryCredentialIsAKeyVaultReferenceAndTheRestArePlainSettings()
    {
        var snapshot = await BicepSnapshot.TakeAsync(MailServerAndLinks, new Dictionary<string, string> { ["HANDOFF_CHANNELS"] = ChannelsParameter });
        var settings = snapshot.AppSettings;
        var vault = (string)snapshot.Single("Microsoft.KeyVault/vaults")["name"]!;

        foreach (var (setting, secret) in ChannelSecrets)
        {
            Assert.Equal($"@Microsoft.KeyVault(VaultName={vault};SecretName={secret})", settings.GetValueOrDefault(setting));
            Assert.Matches("^[a-zA-Z0-9-]{1,127}$", secret); // Key Vault secret names
        }

        var plain = new Dictionary<string, string>
        {
            ["Handoff__Channels__meizhoucentre__WeCom__Kinds"] = "escalation,escalation-resolved",
            ["Handoff__Channels__shaoguanpsb__Feishu__PerMinute"] = "60",
            ["Handoff__Channels__shaoguanpsb__Email__To"] = "duty@example.gov.cn,chief@example.gov.cn",
            ["Handoff__Smtp__Host"] = "smtp.example.gov.cn",
            ["Handoff__Smtp__Port"] = "465",
            ["Handoff__Smtp__Security"] = "SslOnConnect",
            ["Handoff__Smtp__UserName"] = "handoff",
            ["Handoff__Smtp__From"] = "handoff@example.gov.cn",
            ["Handoff__PublicUrl"] = "https://handoff.example.gov.cn/",
        };
        foreach (var (setting, value) in plain)
        {
            Assert.Equal(value, settings.GetValueOrDefault(setting));
        }

        // Nothing else: no secret for 企业微信 or e-mail, no mentions for an organisation that asked for none, no empty kinds.
        var configured = settings.Keys.Where(k => k.StartsWith("Handoff__Channels__", StringComparison.Ordinal) || k.StartsWith("Handoff__Smtp__", StringComparison.Ordinal) || k == "Handoff__PublicUrl");
        Assert.Equal(ChannelSecrets.Keys.Concat(plain.Keys).Order(StringComparer.Ordinal), configured.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(settings.Values, v => v.Contains("qyapi", StringComparison.Ordinal) || v.Contains("dingtalk.com", StringComparison.Ordinal) || v.Contains("feishu.cn", StringComparison.Ordinal));

        // deploy.sh reads what the deployment needs from Key Vault, and keeps the channels, from the outputs.
        var required = snapshot.Outputs["keyVaultSecrets"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal);
        Assert.Equal(ChannelSecrets.Values.Append("id-number-key").Order(StringComparer.Ordinal), required);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ChannelsParameter), snapshot.Outputs["channels"]), snapshot.Outputs["channels"]?.ToJsonString());
    }

    [Fact]
    public async Task Snapshot_ChinaSample_HasNoChannelMailServerOrLinkSettings()
    {
        var snapshot = await ChinaSample.Value;

        Assert.DoesNotContain(snapshot.AppSettings.Keys, k => k.StartsWith("Handoff__Channels__", StringComparison.Ordinal) || k.StartsWith("Handoff__Smtp__", StringComparison.Ordinal) || k == "Handoff__PublicUrl");
        Assert.Equal(new[] { "id-number-key" }, snapshot.Outputs["keyVaultSecrets"]!.AsArray().Select(n => (string)n!));
        Assert.Empty(snapshot.Outputs["channels"]!.AsArray());
    }

    [Theory]
    [InlineData("""[{"organisationId":"Meizhou","platform":"WeCom"}]""", true, "organisationId 'Meizhou' must be lowercase letters, digits and single inner hyphens")]
    [InlineData("""[{"organisationId":"A","platform":"WeCom"}]""", true, "organisationId 'A' must be lowercase letters, digits and single inner hyphens")]
    [InlineData("""[{"organisationId":"-abc","platform":"WeCom"}]""", true, "organisationId '-abc' must be lowercase letters, digits and single inner hyphens")]
    [InlineData("""[{"organisationId":"abc-","platform":"WeCom"}]""", true, "organisationId 'abc-' must be lowercase letters, digits and single inner hyphens")]
    [InlineData("""[{"organisationId":"a--b","platform":"WeCom"}]""", true, "organisationId 'a--b' must be lowercase letters, digits and single inner hyphens")]
    [InlineData("""[{"organisationId":"meizhou_centre","platform":"WeCom"}]""", true, "organisationId 'meizhou_centre' must be lowercase letters, digits and single inner hyphens")]
    [InlineData("""[{"organisationId":"meizhou","platform":"Wecom"}]""", true, "platform 'Wecom' must be WeCom, DingTalk, Feishu or Email")]
    [InlineData("""[{"organisationId":"meizhou","platform":"WeCom","url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=leak-0007"}]""", true, "a robot URL or signing secret is a credential: it goes into Key Vault")]
    [InlineData("""[{"organisationId":"meizhou","platform":"DingTalk","secret":"leak-0007"}]""", true, "never into parameters")]
    [InlineData("""[{"organisationId":"meizhou","platform":"WeCom","mentions":"13800000001"}]""", true, "mentions is true or false, on a robot channel only")]
    [InlineData("""[{"organisationId":"meizhou","platform":"Email"}]""", true, "an Email channel needs emailTo")]
    [InlineData("""[{"organisationId":"meizhou","platform":"WeCom","emailTo":"a@example.gov.cn"}]""", true, "emailTo is for Email channels only")]
    [InlineData("""[{"organisationId":"meizhou","platform":"WeCom"},{"organisationId":"meizhou","platform":"WeCom"}]""", true, "meizhou has more than one WeCom channel")]
    [InlineData("""[{"organisationId":"meizhou","platform":"WeCom","kind":"escalation"}]""", true, "unknown properties kind")]
    [InlineData("""[{"organisationId":"meizhou","platform":"WeCom","perMinute":0}]""", true, "perMinute is a whole number from 1 to 1000")]
    [InlineData("""[{"organisationId":"meizhou","platform":"Email","emailTo":"a@example.gov.cn"}]""", false, "an Email channel needs smtpHost")]
    [InlineData("""[{"organisationId":"meizhou","platform":"WeCom"}]""", false, "publicUrl is required with channels")]
    public async Task Snapshot_InvalidChannels_AreRefusedWithTheRuleAndNoCredentialInTheMessage(string channels, bool mailServerAndLinks, string rule)
    {
        var (exitCode, output, _) = await BicepSnapshot.TryTakeAsync(
            mailServerAndLinks ? MailServerAndLinks : null, new Dictionary<string, string> { ["HANDOFF_CHANNELS"] = channels });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(rule, output);
        Assert.DoesNotContain("leak-0007", output);
    }

    // An organisation id with hyphens (the directory's ids have them): App Service app setting names take no hyphen, so the settings
    // write it as '_', which the app reads back as '-'; the Key Vault secrets, the channels output and deploy.sh keep the hyphen.
    [Fact]
    public async Task Snapshot_HyphenatedOrganisation_IsWrittenWithUnderscoresInSettingNamesOnly()
    {
        const string channels = """
            [{"organisationId":"meizhou-centre","platform":"WeCom","mentions":true,"kinds":"escalation"},
             {"organisationId":"meizhou-centre","platform":"DingTalk"},
             {"organisationId":"a-b-c","platform":"Email","emailTo":"duty@example.gov.cn"}]
            """;
        var snapshot = await BicepSnapshot.TakeAsync(MailServerAndLinks, new Dictionary<string, string> { ["HANDOFF_CHANNELS"] = channels });
        var settings = snapshot.AppSettings;
        var vault = (string)snapshot.Single("Microsoft.KeyVault/vaults")["name"]!;

        var secrets = new Dictionary<string, string>
        {
            ["Handoff__Channels__meizhou_centre__WeCom__Url"] = "channel-meizhou-centre-wecom-url",
            ["Handoff__Channels__meizhou_centre__DingTalk__Url"] = "channel-meizhou-centre-dingtalk-url",
            ["Handoff__Channels__meizhou_centre__DingTalk__Secret"] = "channel-meizhou-centre-dingtalk-secret",
            ["Handoff__Channels__meizhou_centre__Mentions"] = "channel-meizhou-centre-mentions",
        };
        foreach (var (setting, secret) in secrets)
        {
            Assert.Equal($"@Microsoft.KeyVault(VaultName={vault};SecretName={secret})", settings.GetValueOrDefault(setting));
        }

        Assert.Equal("escalation", settings.GetValueOrDefault("Handoff__Channels__meizhou_centre__WeCom__Kinds"));
        Assert.Equal("duty@example.gov.cn", settings.GetValueOrDefault("Handoff__Channels__a_b_c__Email__To"));

        // Every name App Service takes: letters, digits, '.' and '_' only.
        Assert.All(settings.Keys, k => Assert.Matches("^[A-Za-z0-9._]+$", k));
        Assert.DoesNotContain(settings.Keys, k => k.Contains('-', StringComparison.Ordinal));

        var required = snapshot.Outputs["keyVaultSecrets"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal);
        Assert.Equal(secrets.Values.Append("id-number-key").Append("smtp-password").Order(StringComparer.Ordinal), required);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(channels), snapshot.Outputs["channels"]), snapshot.Outputs["channels"]?.ToJsonString());
    }

    // Events 1050 and 1051 of the channel sender raise an alert, matched as the blocked-case alert matches event 1036, to the same
    // operators; the fallback texts are the ones the app logs.
    [Fact]
    public async Task Snapshot_ChinaSample_AlertsTheOperatorsOnChannelEvents1050And1051()
    {
        var snapshot = await ChinaSample.Value;
        var rules = snapshot.OfType("Microsoft.Insights/scheduledQueryRules").ToList();
        var rule = Assert.Single(rules, r => ((string)r["name"]!).EndsWith("-channel-gave-up", StringComparison.Ordinal));
        var blocked = Assert.Single(rules, r => ((string)r["name"]!).EndsWith("-case-blocked", StringComparison.Ordinal));
        var properties = rule["properties"]!;
        var criterion = properties["criteria"]!["allOf"]!.AsArray().Single()!;
        var query = (string)criterion["query"]!;

        Assert.Contains("""tostring(customDimensions.EventId) in ("1050", "1051")""", query);
        Assert.Contains("tostring(customDimensions.EventId) ==", (string)blocked["properties"]!["criteria"]!["allOf"]![0]!["query"]!);
        Assert.StartsWith("traces", query.Trim(), StringComparison.Ordinal);
        Assert.True((bool?)properties["enabled"] == true);
        Assert.Equal("GreaterThan", (string?)criterion["operator"]);
        Assert.Equal(0, (int?)criterion["threshold"]);
        Assert.True(JsonNode.DeepEquals(blocked["properties"]!["actions"], properties["actions"]), properties["actions"]?.ToJsonString());
        Assert.Contains(snapshot.Id("Microsoft.Insights/actionGroups"), properties["actions"]!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(JsonNode.DeepEquals(blocked["properties"]!["scopes"], properties["scopes"]));

        var log = await File.ReadAllTextAsync(Path.Combine(BicepCli.Root, "functions", "Handoff.Storage", "Infrastructure", "Log.cs"));
        var gaveUp = Regex.Match(log, @"LoggerMessage\(1050, LogLevel\.Error, ""(?<text>[^""]+)""\)").Groups["text"].Value;
        var uncertain = Regex.Match(log, @"LoggerMessage\(1051, LogLevel\.Warning, ""(?<text>[^""]+)""\)").Groups["text"].Value;
        Assert.True(gaveUp.StartsWith("Channel ", StringComparison.Ordinal) && gaveUp.Contains("gave up on", StringComparison.Ordinal), gaveUp);
        Assert.Contains("notices are not resent", uncertain);
        Assert.Contains("""(message startswith "Channel " and message has "gave up on")""", query);
        Assert.Contains("message has \"notices are not resent\"", query);
    }

    // deploy.sh with HANDOFF_CHANNELS_FILE and HANDOFF_SMTP_PASSWORD_FILE: every credential goes to Key Vault through az's standard
    // input, after the first pass (which keeps the last deployment's channels) and before the second (which takes the file's).
    [Fact]
    public async Task DeployScript_ChannelsFile_PutsTheCredentialsInKeyVaultThroughStdinAndDeploysTheRest()
    {
        const string previous = """[{"organisationId":"oldorg","platform":"WeCom"}]""";
        using var run = await DeployScriptRun.StartAsync(
            previousPackage: $"{DeployScriptRun.Container}/functionapp-old5678.zip", blobExists: false, channelsFile: ChannelsFile, smtpPassword: SmtpPassword + "\n",
            previousChannels: previous, requiredSecrets: """["id-number-key","channel-oldorg-wecom-url","smtp-password"]""",
            vaultSecrets: """["id-number-key","channel-oldorg-wecom-url"]""");

        Assert.True(run.ExitCode == 0, run.Output);
        var expected = new Dictionary<string, string>
        {
            ["channel-meizhoucentre-wecom-url"] = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-0001",
            ["channel-meizhoucentre-dingtalk-url"] = "https://oapi.dingtalk.com/robot/send?access_token=dingtalk-token-0002",
            ["channel-meizhoucentre-dingtalk-secret"] = "SECdingtalk-sign-0003",
            ["channel-meizhoucentre-mentions"] = "13800000001,13900000002",
            ["channel-shaoguanpsb-feishu-url"] = "https://open.feishu.cn/open-apis/bot/v2/hook/feishu-hook-0004",
            ["channel-shaoguanpsb-feishu-secret"] = "feishu-sign-0005",
            ["smtp-password"] = SmtpPassword,
        };
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), run.SecretsSet.Select(s => new KeyValuePair<string, string>(s.Name, s.Value)).OrderBy(e => e.Key, StringComparer.Ordinal));

        var sets = run.Calls.Where(c => c.StartsWith("keyvault secret set", StringComparison.Ordinal)).ToList();
        Assert.All(sets, c => Assert.Contains("--file /dev/stdin", c));
        Assert.All(sets, c => Assert.Contains("-o none", c)); // az would print the secret back
        foreach (var credential in Credentials)
        {
            Assert.DoesNotContain(run.Calls, c => c.Contains(credential, StringComparison.Ordinal)); // arguments, HANDOFF_CHANNELS
            Assert.DoesNotContain(credential, run.Output);
        }

        Assert.Equal(2, run.DeployedChannels.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(previous), JsonNode.Parse(run.DeployedChannels[0])), run.DeployedChannels[0]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ChannelsParameter), JsonNode.Parse(run.DeployedChannels[1])), run.DeployedChannels[1]);
        var first = run.Calls.FindIndex(c => c.StartsWith("deployment group create", StringComparison.Ordinal));
        var upload = run.Calls.FindIndex(c => c.StartsWith("storage blob upload", StringComparison.Ordinal));
        Assert.All(sets, c => Assert.InRange(run.Calls.IndexOf(c), first + 1, upload - 1));
    }

    // The secrets deploy.sh writes are exactly the ones the template's settings refer to for the channels it deploys.
    [Fact]
    public async Task DeployScript_ChannelsFile_WritesTheSecretNamesTheTemplateRefersTo()
    {
        using var run = await DeployScriptRun.StartAsync(
            previousPackage: null, blobExists: false, channelsFile: ChannelsFile, smtpPassword: SmtpPassword, requiredSecrets: """["id-number-key","smtp-password"]""");
        Assert.True(run.ExitCode == 0, run.Output);

        var snapshot = await BicepSnapshot.TakeAsync(MailServerAndLinks, new Dictionary<string, string> { ["HANDOFF_CHANNELS"] = run.DeployedChannels[^1] });
        var referenced = snapshot.Outputs["keyVaultSecrets"]!.AsArray().Select(n => (string)n!).Where(n => n != "id-number-key");

        Assert.Equal(referenced.Order(StringComparer.Ordinal), run.SecretsSet.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    // A hyphenated organisation id goes through deploy.sh as it is: the secrets keep the hyphen, and the settings the template makes
    // of the deployed channels refer to exactly those secrets under names with '_'.
    [Fact]
    public async Task DeployScript_HyphenatedOrganisation_KeepsTheHyphenInSecretNamesTheSettingsReferTo()
    {
        const string file = """
            [{ "organisationId": "meizhou-centre", "platform": "WeCom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-0001" },
             { "organisationId": "meizhou-centre", "platform": "Feishu", "url": "https://open.feishu.cn/open-apis/bot/v2/hook/feishu-hook-0004", "secret": "feishu-sign-0005" }]
            """;
        using var run = await DeployScriptRun.StartAsync(previousPackage: null, blobExists: false, channelsFile: file);
        Assert.True(run.ExitCode == 0, run.Output);

        Assert.Equal(
            ["channel-meizhou-centre-feishu-secret", "channel-meizhou-centre-feishu-url", "channel-meizhou-centre-wecom-url"],
            run.SecretsSet.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"organisationId":"meizhou-centre","platform":"WeCom"},{"organisationId":"meizhou-centre","platform":"Feishu"}]"""),
            JsonNode.Parse(run.DeployedChannels[^1])), run.DeployedChannels[^1]);

        var snapshot = await BicepSnapshot.TakeAsync(MailServerAndLinks, new Dictionary<string, string> { ["HANDOFF_CHANNELS"] = run.DeployedChannels[^1] });
        var vault = (string)snapshot.Single("Microsoft.KeyVault/vaults")["name"]!;
        Assert.Equal($"@Microsoft.KeyVault(VaultName={vault};SecretName=channel-meizhou-centre-wecom-url)", snapshot.AppSettings.GetValueOrDefault("Handoff__Channels__meizhou_centre__WeCom__Url"));
        Assert.Equal($"@Microsoft.KeyVault(VaultName={vault};SecretName=channel-meizhou-centre-feishu-secret)", snapshot.AppSettings.GetValueOrDefault("Handoff__Channels__meizhou_centre__Feishu__Secret"));
        var referenced = snapshot.Outputs["keyVaultSecrets"]!.AsArray().Select(n => (string)n!).Where(n => n.StartsWith("channel-", StringComparison.Ordinal));
        Assert.Equal(run.SecretsSet.Select(s => s.Name).Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeployScript_InvalidChannelsFile_IsRefusedBeforeAnythingWithoutPrintingACredential()
    {
        const string file = """
            [{ "organisationId": "meizhou--centre", "platform": "WeCom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=leak-0007" },
             { "organisationId": "shaoguan", "platform": "DingTalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=leak-0008" },
             { "organisationId": "renhua", "platform": "WeCom", "url": "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=leak-0009", "mentions": "leak-0010" }]
            """;
        using var run = await DeployScriptRun.StartAsync(previousPackage: null, blobExists: false, channelsFile: file);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("[0]: organisationId must be 1-47 lowercase letters, digits and single inner hyphens", run.Output);
        Assert.Contains("[1]: secret: DingTalk robots must sign", run.Output);
        Assert.Contains("[2]: url: the whole webhook address of the robot, https", run.Output);
        Assert.Contains("[2]: mentions: comma-separated mainland mobile numbers", run.Output);
        Assert.DoesNotContain("leak-", run.Output);
        Assert.DoesNotContain(run.Calls, c => c.StartsWith("deployment group create", StringComparison.Ordinal) || c.StartsWith("keyvault secret set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeployScript_NoChannelsFile_KeepsTheLastDeploymentsChannelsAndSetsNoSecret()
    {
        const string previous = """[{"organisationId":"oldorg","platform":"WeCom","kinds":"escalation"}]""";
        using var run = await DeployScriptRun.StartAsync(
            previousPackage: $"{DeployScriptRun.Container}/functionapp-old5678.zip", blobExists: false, previousChannels: previous,
            requiredSecrets: """["id-number-key","channel-oldorg-wecom-url"]""", vaultSecrets: """["id-number-key","channel-oldorg-wecom-url"]""");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(2, run.DeployedChannels.Count);
        Assert.All(run.DeployedChannels, c => Assert.True(JsonNode.DeepEquals(JsonNode.Parse(previous), JsonNode.Parse(c)), c));
        Assert.Empty(run.SecretsSet);
    }

    [Fact]
    public async Task DeployScript_ASecretTheSettingsReferToIsMissing_StopsBeforeTheUploadNamingIt()
    {
        using var run = await DeployScriptRun.StartAsync(
            previousPackage: null, blobExists: false, requiredSecrets: """["id-number-key","smtp-password"]""");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("lacks secrets the app settings refer to: smtp-password", run.Output);
        Assert.Contains("HANDOFF_SMTP_PASSWORD_FILE", run.Output);
        Assert.Single(run.Calls, c => c.StartsWith("deployment group create", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Calls, c => c.StartsWith("storage blob upload", StringComparison.Ordinal));
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
