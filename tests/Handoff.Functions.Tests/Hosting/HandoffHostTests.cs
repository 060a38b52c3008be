using Handoff.Api.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Handoff.Functions.Tests.Hosting;

public class HandoffHostTests
{
    /// <summary>
    /// Configuration from the settings given only — not from environment variables, which the API fixtures running beside these tests
    /// set process-wide.
    /// </summary>
    private static (IConfiguration Configuration, IHostEnvironment Environment) Builder(string environment, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Handoff:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Handoff:Secrets:IdNumberKey"] = Convert.ToBase64String(DeploymentKey),
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var host = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment, ContentRootPath = AppContext.BaseDirectory };
        return (new ConfigurationBuilder().AddInMemoryCollection(values).Build(), host);
    }

    private static readonly byte[] DeploymentKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>A deployment's own directory: the sample's organisations, with an https webhook for the province office.</summary>
    private static string DeploymentDirectory(string webhook = "https://hooks.example.cn/handoff")
    {
        var path = Path.Combine(Path.GetTempPath(), $"handoff-directory-{Guid.NewGuid():N}.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "directory.sample.json")))!;
        foreach (var organisation in json["organisations"]!.AsArray())
        {
            organisation!.AsObject().Remove("webhook");
        }

        json["organisations"]!.AsArray().First(o => (string?)o!["id"] == "guangdong-nco")!["webhook"] = webhook;
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    /// <summary>Settings a Staging or Production deployment needs: its own directory, its own key, no development features.</summary>
    private static (string Key, string Value)[] Deployment(string? directory = null) =>
    [
        ("Handoff:Auth:UseDevKeys", "false"),
        ("Handoff:DirectoryFile", directory ?? DeploymentDirectory()),
        ("Handoff:Webhooks:guangdong-nco:Secret", "s3cret-of-the-province"),
    ];

    private static void AddHandoff((IConfiguration Configuration, IHostEnvironment Environment) builder) =>
        new ServiceCollection().AddHandoff(builder.Configuration, builder.Environment, "handofftest");

    [Theory]
    [InlineData("Staging", false)]
    [InlineData("Production", false)]
    [InlineData("Development", true)]
    public async Task DevelopmentSignIn_OpensASessionOnlyInDevelopment(string environment, bool expected)
    {
        var builder = environment == "Development" ? Builder(environment) : Builder(environment, Deployment());
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(builder.Environment);
        services.AddSingleton(builder.Configuration);
        services.AddHandoff(builder.Configuration, builder.Environment, "handofftest");
        Handoff.Pages.Infrastructure.PageSession.AddHandoffPages(services, builder.Configuration, builder.Environment);
        Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.UseEphemeralDataProtectionProvider(
            Microsoft.Extensions.DependencyInjection.DataProtectionServiceCollectionExtensions.AddDataProtection(services)); // no key ring in storage here
        await using var provider = services.BuildServiceProvider();

        var signIn = await RunPageAsync(provider, Handoff.Pages.Infrastructure.PageRoutes.DevSignInPage, ("organisationId", "meizhou-centre"));
        var list = await RunPageAsync(provider, Handoff.Pages.Infrastructure.PageRoutes.SignInPage);

        var session = signIn.Response.Headers.SetCookie.Any(c => c!.StartsWith(Handoff.Pages.Infrastructure.PageSession.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(expected, session);
        Assert.Equal(expected ? 302 : 404, signIn.Response.StatusCode);
        Assert.Equal(expected, ReadBody(list).Contains("/signin/dev/meizhou-centre", StringComparison.Ordinal));
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpContext> RunPageAsync(
        IServiceProvider provider, Handoff.Pages.Infrastructure.PageRoute route, params (string Name, string Value)[] values)
    {
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = provider };
        http.Request.Method = route.Method;
        http.Request.Scheme = "https";
        http.Request.Host = new Microsoft.AspNetCore.Http.HostString("handoff.example.cn");
        foreach (var (name, value) in values)
        {
            http.Request.RouteValues[name] = value;
        }

        http.Response.Body = new MemoryStream();
        var result = await Handoff.Pages.Infrastructure.PageHttp.RunAsync(http, null!, route);
        await result.ExecuteAsync(http);
        return http;
    }

    private static string ReadBody(Microsoft.AspNetCore.Http.HttpContext http) =>
        System.Text.Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());

    [Fact]
    public void AddHandoff_ProductionWithSampleKeys_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AddHandoff(Builder("Production", [.. Deployment().Where(s => s.Key != "Handoff:Auth:UseDevKeys"), ("Handoff:Auth:UseDevKeys", "true")])));

        Assert.Contains("Handoff:Auth:UseDevKeys", error.Message);
    }

    [Fact]
    public void AddHandoff_ProductionWithDevelopmentClock_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AddHandoff(Builder("Production", [.. Deployment(), ("Handoff:Clock:Speed", "43200")])));

        Assert.Contains("refused outside the Development environment", error.Message);
    }

    [Fact]
    public void AddHandoff_StagingWithDevelopmentClock_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AddHandoff(Builder("Staging", [.. Deployment(), ("Handoff:Clock:Start", "2026-03-02T08:00:00+08:00")])));

        Assert.Contains("Handoff:Clock", error.Message);
    }

    [Fact]
    public void AddHandoff_ProductionWithoutIdNumberKey_RefusesToStart()
    {
        var builder = Builder("Production", [.. Deployment(), ("Handoff:Secrets:IdNumberKey", "")]);

        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(builder));

        Assert.Contains("IdNumberKey", error.Message);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void AddHandoff_DeploymentWithItsOwnSettings_Starts(string environment) =>
        AddHandoff(Builder(environment, Deployment()));

    [Fact]
    public void AddHandoff_Staging_DoesNotAcceptDevelopmentKeysByDefault()
    {
        var services = new ServiceCollection();
        var builder = Builder("Staging", Deployment().Where(s => s.Key != "Handoff:Auth:UseDevKeys").ToArray());

        services.AddHandoff(builder.Configuration, builder.Environment, "handofftest");

        var registry = services.Single(d => d.ServiceType == typeof(Handoff.Api.Auth.ApiKeyRegistry)).ImplementationInstance as Handoff.Api.Auth.ApiKeyRegistry;
        Assert.NotNull(registry);
        Assert.Null(registry.Find("dev-meizhou-centre"));
    }

    public static TheoryData<string, string, string> DevelopmentOnlySettings => new()
    {
        { "Handoff:Auth:UseDevKeys", "true", "Handoff:Auth:UseDevKeys" },
        { "Handoff:DirectoryFile", "", "Handoff:DirectoryFile" },
        { "Handoff:DirectoryFile", "directory.sample.json", "Handoff:DirectoryFile" },
        { "Handoff:Secrets:IdNumberKey", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "Handoff:Secrets:IdNumberKey" },
        { "Handoff:Secrets:IdNumberKey", "", "Handoff:Secrets:IdNumberKey" },
        { "Handoff:SampleData", "true", "Handoff:SampleData" },
        { "Handoff:Webhooks:guangdong-nco:Secret", "", "Handoff:Webhooks:guangdong-nco:Secret" },
    };

    [Theory]
    [MemberData(nameof(DevelopmentOnlySettings))]
    public void AddHandoff_Staging_WithADevelopmentFeature_RefusesToStart_NamingTheSetting(string key, string value, string named)
    {
        var settings = Deployment().Where(s => s.Key != key).Append((key, value)).ToArray();

        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(Builder("Staging", settings)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHandoff_Staging_WithAnHttpWebhook_RefusesToStart_NamingTheOrganisation()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AddHandoff(Builder("Staging", Deployment(DeploymentDirectory("http://hooks.example.cn/handoff")))));

        Assert.Contains("guangdong-nco", error.Message, StringComparison.Ordinal);
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHandoff_InvalidPolicy_NamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(Builder("Development", ("Handoff:Policy:AgreementDays", "0"))));

        Assert.Contains("AgreementDays", error.Message);
    }

    [Fact]
    public void AddHandoff_RegionalPolicy_StartsFromTheNationalOne_AndChangesOnlyWhatItNames()
    {
        var builder = Builder("Development", ("Handoff:Policy:DeliveryDays", "2"), ("Handoff:Policy:Regions:44:TransferMaxMonths", "12"),
            ("Handoff:Policy:Regions:4414:ReleaseNoticeDays", "7"), ("Handoff:Policy:Regions:4414:ReleaseNoticeInWorkingDays", "true"));
        var services = new ServiceCollection();
        services.AddHandoff(builder.Configuration, builder.Environment, "handofftest");
        var environment = services.BuildServiceProvider().GetRequiredService<Handoff.Storage.Cases.WorkflowEnvironment>();
        var context = environment.Context(DateTimeOffset.UnixEpoch);

        var meizhou = context.PolicyFor(Core.Regions.RegionCode.Parse("441426"));
        Assert.Equal((2, 6, 7, true), (meizhou.DeliveryDays, meizhou.TransferMaxMonths, meizhou.ReleaseNoticeDays, meizhou.ReleaseNoticeInWorkingDays));
        var shaoguan = context.PolicyFor(Core.Regions.RegionCode.Parse("440200"));
        Assert.Equal((2, 12, 3, false), (shaoguan.DeliveryDays, shaoguan.TransferMaxMonths, shaoguan.ReleaseNoticeDays, shaoguan.ReleaseNoticeInWorkingDays));
        Assert.Equal(6, context.PolicyFor(Core.Regions.RegionCode.Parse("520100")).TransferMaxMonths);
    }

    [Theory]
    [InlineData("Handoff:Policy:Regions:44:TransferMaxMonths", "13", "TransferMaxMonths")]
    [InlineData("Handoff:Policy:Regions:4:DeliveryDays", "2", "Regions:4")]
    [InlineData("Handoff:Policy:Regions:44:ReleaseNoticeDays", "2", "ReleaseNoticeDays")]
    public void AddHandoff_InvalidRegionalPolicy_NamesTheRegionAndTheSetting(string key, string value, string named)
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(Builder("Development", (key, value))));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void DirectoryLoader_SampleDirectory_HasEveryKindInEveryNamedPlace()
    {
        var directory = DirectoryLoader.Load(Path.Combine(AppContext.BaseDirectory, "directory.sample.json"));

        foreach (var city in new[] { "4402", "4414", "4416", "5201", "3707", "1502" })
        {
            Assert.Contains(directory.All, o => o.Kind == Core.Organisations.OrganisationKind.CommunityOffice && o.Region.IsWithin(city));
            Assert.Contains(directory.All, o => o.Kind == Core.Organisations.OrganisationKind.Supervisor && o.Region.IsWithin(city));
        }
    }

    [Fact]
    public void WorkflowClock_RunsAtItsSpeedFromItsAnchor_AndMapsBackNeverEarly()
    {
        var real = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var clock = new Core.Time.WorkflowClock(real, start, 43_200);

        Assert.Equal(start.AddDays(1), clock.ToWorkflow(real.AddSeconds(2)));
        Assert.Equal(real.AddSeconds(2), clock.ToReal(start.AddDays(1)));
        Assert.True(clock.ToWorkflow(clock.ToReal(start.AddTicks(12_345_678))) >= start.AddTicks(12_345_678));
    }

    /// <summary>Issue 22: every wrong channel setting stops the start-up, all named in one message with the rule.</summary>
    [Fact]
    public void ChannelSettings_EveryFaultIsNamed_AndRobotsGoOverHttpsOnly_OutsideDevelopment()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(Builder("Production", [.. Deployment(),
            ("Handoff:Channels:pingyuan-dazhe-office:WeCom:Url", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"),
            ("Handoff:Channels:pingyuan-dazhe-office:DingTalk:Url", "https://oapi.dingtalk.com/robot/send?access_token=t"),
            ("Handoff:Channels:pingyuan-dazhe-office:DingTalk:Kinds", "escalation,escalaton"),
            ("Handoff:Channels:pingyuan-dazhe-office:Mentions", "13800000001,12345"),
            ("Handoff:Channels:pingyuan-dazhe-office:Email:To", "duty@example.cn"),
            ("Handoff:Channels:pingyuan-dazhe-office:Telegram:Url", "https://example.cn"),
            ("Handoff:Channels:no-such-office:WeCom:Url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")])));

        foreach (var named in new[]
                 {
                     "Handoff:Channels:pingyuan-dazhe-office:WeCom:Url: notices carry personal data and go over https only",
                     "Handoff:Channels:pingyuan-dazhe-office:DingTalk:Kinds: 'escalaton' is not a notice kind",
                     "Handoff:Channels:pingyuan-dazhe-office:Mentions: '12345' is not a mainland mobile number",
                     "Handoff:Channels:pingyuan-dazhe-office:Telegram: unknown channel",
                     "Handoff:Channels:no-such-office: no organisation no-such-office in the directory",
                     "Handoff:Smtp:Host is required: an organisation has an e-mail channel",
                     "Handoff:PublicUrl is required",
                 })
        {
            Assert.Contains(named, error.Message);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/cgi-bin/webhook/send?key=k", true)]
    [InlineData("http://robots.example.cn/cgi-bin/webhook/send?key=k", false)]
    public void ChannelSettings_InDevelopment_AllowHttpOnlyToALoopbackStandIn(string url, bool allowed)
    {
        var builder = Builder("Development", ("Handoff:Channels:pingyuan-dazhe-office:WeCom:Url", url));

        var error = Record.Exception(() => AddHandoff(builder));

        Assert.Equal(allowed, error is null);
    }

    [Fact]
    public void ChannelSettings_RouteEachNoticeKind_ToTheChannelsThatTakeIt()
    {
        var services = new ServiceCollection();
        var builder = Builder("Production", [.. Deployment(),
            ("Handoff:PublicUrl", "https://handoff.example.gov.cn"),
            ("Handoff:Channels:pingyuan-dazhe-office:WeCom:Url", "https://wecom.gdzwfw.gov.cn/cgi-bin/webhook/send?key=1b2c3d4e-aaaa-bbbb-cccc-0123456789ab"),
            ("Handoff:Channels:pingyuan-dazhe-office:Feishu:Url", "https://open.feishu.cn/open-apis/bot/v2/hook/0123456789"),
            ("Handoff:Channels:pingyuan-dazhe-office:Feishu:Secret", "s"),
            ("Handoff:Channels:pingyuan-dazhe-office:Feishu:Kinds", "*"),
            ("Handoff:Channels:pingyuan-dazhe-office:Email:To", "duty@example.cn; chief@example.cn"),
            ("Handoff:Channels:pingyuan-dazhe-office:Email:Kinds", "escalation"),
            ("Handoff:Smtp:Host", "smtp.example.cn"),
            ("Handoff:Smtp:From", "handoff@example.cn"),
            ("Handoff:Smtp:UserName", "handoff"),
            ("Handoff:Smtp:Password", "p")]);
        services.AddHandoff(builder.Configuration, builder.Environment, "handofftest");
        var channels = (Storage.Notices.Channels.ChannelDirectory)services.Single(d => d.ServiceType == typeof(Storage.Notices.Channels.ChannelDirectory)).ImplementationInstance!;
        Core.Notices.Notice Of(Core.Notices.NoticeKind kind) => new("n", "HO-7K2M9Q4T1BXR", "pingyuan-dazhe-office", kind, null, null, null, "t", "b", DateTimeOffset.UnixEpoch);

        string Routes(Core.Notices.NoticeKind kind) => string.Join(",", channels.Routes(Of(kind)).Select(t => t.Platform));
        Assert.Equal("Email,Feishu,WeCom", Routes(Core.Notices.NoticeKind.Escalation));
        Assert.Equal("Feishu,WeCom", Routes(Core.Notices.NoticeKind.EscalationResolved));
        Assert.Equal("Feishu", Routes(Core.Notices.NoticeKind.ReleaseNotice));
        Assert.Equal(["duty@example.cn", "chief@example.cn"], channels.Of("pingyuan-dazhe-office").Single(t => t.Platform == Core.Notices.Channels.ChannelPlatform.Email).To);
        Assert.Equal(new Uri("https://handoff.example.gov.cn/cases/HO-7K2M9Q4T1BXR"), channels.CaseLink(Of(Core.Notices.NoticeKind.Escalation)));
        Assert.Equal("https://wecom.gdzwfw.gov.cn/cgi-bin/webhook/send?key=1b2c********89ab", channels.Of("pingyuan-dazhe-office").Single(t => t.Platform == Core.Notices.Channels.ChannelPlatform.WeCom).Display);
    }

    /// <summary>The sample settings, with their channel settings left blank, start the service in Development: blank means not configured.</summary>
    [Fact]
    public void LocalSettingsSample_StartsInDevelopment_WithItsBlankChannels()
    {
        var root = Handoff.Development.AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var values = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, "local.settings.sample.json")))!["Values"]!.AsObject();
        var settings = values.Where(v => v.Key.StartsWith("Handoff__", StringComparison.Ordinal) && v.Key != "Handoff__DirectoryFile")
            .Select(v => (v.Key.Replace("__", ":", StringComparison.Ordinal), (string)v.Value!)).ToArray();
        Assert.Contains(settings, s => s.Item1.StartsWith("Handoff:Channels:", StringComparison.Ordinal));
        var services = new ServiceCollection();
        var builder = Builder("Development", settings);

        services.AddHandoff(builder.Configuration, builder.Environment, "handofftest");

        var channels = (Storage.Notices.Channels.ChannelDirectory)services.Single(d => d.ServiceType == typeof(Storage.Notices.Channels.ChannelDirectory)).ImplementationInstance!;
        Assert.Empty(channels.All);
    }

    [Fact]
    public void ChannelSettings_ASharedRobot_AFragment_AndAnOrganisationTwice_AreRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(Builder("Development",
            ("Handoff:Channels:pingyuan-dazhe-office:WeCom:Url", "http://127.0.0.1:5000/cgi-bin/webhook/send?key=same"),
            ("Handoff:Channels:pingyuan-nco:WeCom:Url", "http://127.0.0.1:5000/cgi-bin/webhook/send?key=same"),
            ("Handoff:Channels:meizhou-nco:Feishu:Url", "http://127.0.0.1:5000/open-apis/bot/v2/hook/abc#x"),
            ("Handoff:Channels:guangdong-nco:DingTalk:Url", "http://127.0.0.1:5000/robot/send?access_token=a"),
            ("Handoff:Channels:guangdong_nco:DingTalk:Url", "http://127.0.0.1:5000/robot/send?access_token=b"))));

        Assert.Contains("wecom-pingyuan-dazhe-office and wecom-pingyuan-nco use the same robot", error.Message);
        Assert.Contains("Handoff:Channels:meizhou-nco:Feishu:Url: the webhook address as the platform gives it, without '#…'", error.Message);
        Assert.Contains("dingtalk-guangdong-nco is configured twice", error.Message);
    }

    [Fact]
    public void ChannelSettings_AnUnresolvedKeyVaultReference_DisablesOnlyItsChannels()
    {
        var services = new ServiceCollection();
        var builder = Builder("Production", [.. Deployment(),
            ("Handoff:PublicUrl", "https://handoff.example.gov.cn"),
            ("Handoff:Channels:pingyuan-dazhe-office:WeCom:Url", "@Microsoft.KeyVault(VaultName=v;SecretName=channel-pingyuan-dazhe-office-wecom-url)"),
            ("Handoff:Channels:pingyuan-nco:Feishu:Url", "https://open.feishu.cn/open-apis/bot/v2/hook/0123456789"),
            ("Handoff:Channels:guangdong-nco:Email:To", "duty@example.cn"),
            ("Handoff:Smtp:Host", "smtp.example.cn"),
            ("Handoff:Smtp:From", "handoff@example.cn"),
            ("Handoff:Smtp:UserName", "handoff"),
            ("Handoff:Smtp:Password", "@Microsoft.KeyVault(VaultName=v;SecretName=smtp-password)")]);

        services.AddHandoff(builder.Configuration, builder.Environment, "handofftest");

        var channels = (Storage.Notices.Channels.ChannelDirectory)services.Single(d => d.ServiceType == typeof(Storage.Notices.Channels.ChannelDirectory)).ImplementationInstance!;
        Assert.Equal(["feishu-pingyuan-nco"], channels.All.Select(c => c.Key));
        Assert.Equal(["wecom-pingyuan-dazhe-office", "email-guangdong-nco"], channels.Unresolved.Select(u => u.Channel));
        Assert.Null(channels.Smtp);
    }
}
