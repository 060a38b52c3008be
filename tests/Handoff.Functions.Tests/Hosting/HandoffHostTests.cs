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
            ["Handoff:Secrets:IdNumberKey"] = Convert.ToBase64String(new byte[32]),
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var host = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment, ContentRootPath = AppContext.BaseDirectory };
        return (new ConfigurationBuilder().AddInMemoryCollection(values).Build(), host);
    }

    private static void AddHandoff((IConfiguration Configuration, IHostEnvironment Environment) builder) =>
        new ServiceCollection().AddHandoff(builder.Configuration, builder.Environment, "handofftest");

    [Fact]
    public void AddHandoff_ProductionWithSampleKeys_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(Builder("Production", ("Handoff:Auth:UseDevKeys", "true"))));

        Assert.Contains("sample API keys", error.Message);
    }

    [Fact]
    public void AddHandoff_ProductionWithDevelopmentClock_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AddHandoff(Builder("Production", ("Handoff:Auth:UseDevKeys", "false"), ("Handoff:Clock:Speed", "43200"))));

        Assert.Contains("refused outside the Development environment", error.Message);
    }

    [Fact]
    public void AddHandoff_StagingWithDevelopmentClock_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AddHandoff(Builder("Staging", ("Handoff:Auth:UseDevKeys", "false"), ("Handoff:Clock:Start", "2026-03-02T08:00:00+08:00"))));

        Assert.Contains("Handoff:Clock", error.Message);
    }

    [Fact]
    public void AddHandoff_ProductionWithoutIdNumberKey_RefusesToStart()
    {
        var builder = Builder("Production", ("Handoff:Auth:UseDevKeys", "false"), ("Handoff:Secrets:IdNumberKey", ""));

        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(builder));

        Assert.Contains("IdNumberKey", error.Message);
    }

    [Fact]
    public void AddHandoff_ProductionWithKeysConfigured_Starts()
    {
        var builder = Builder("Production", ("Handoff:Auth:UseDevKeys", "false"));

        AddHandoff(builder);
    }

    [Fact]
    public void AddHandoff_InvalidPolicy_NamesTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AddHandoff(Builder("Development", ("Handoff:Policy:AgreementDays", "0"))));

        Assert.Contains("AgreementDays", error.Message);
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
}
