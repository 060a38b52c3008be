using Handoff.Core.Serialization;
using Handoff.SelfHost;
using Handoff.Testing;
using Handoff.Workflow;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Functions.Tests;

/// <summary>
/// The real self-host (its Program) over its own Azurite and its own task hub: the engine runs, timers are real. The reconciler and
/// webhook loops are off so tests drive them. <see cref="FastApiFixture"/> runs the workflow clock 200,000 times faster.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    /// <summary>xunit initialises a collection's fixtures concurrently; settings travel as environment variables, so one at a time.</summary>
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private readonly AzuriteFixture _azurite = new();
    private WebApplicationFactory<ReconcilerLoop>? _factory;

    /// <summary>Workflow seconds per real second.</summary>
    protected virtual double Speed => 1;

    /// <summary>The orchestration's grace past a deadline (real time).</summary>
    protected virtual TimeSpan Grace => TimeSpan.FromSeconds(1);

    /// <summary>How long a command waits for its orchestration before answering 202.</summary>
    protected virtual TimeSpan CommandWait => TimeSpan.FromSeconds(15);

    /// <summary>Serve on a real loopback port (Kestrel) rather than the in-memory test server: what a browser needs.</summary>
    protected virtual bool RealServer => false;

    /// <summary>The engine's polling interval; null leaves the host's default.</summary>
    protected virtual TimeSpan? PollingInterval => TimeSpan.FromSeconds(1);

    /// <summary>Settings a fixture adds (environment-variable names, <c>__</c> for <c>:</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    /// <summary>Start <see cref="Robots"/> (local group robots) before the host, so that <see cref="MoreSettings"/> can point channels at them.</summary>
    protected virtual bool UsesRobots => false;

    /// <summary>The local group robots, with <see cref="UsesRobots"/>.</summary>
    public Handoff.Development.FakeRobotServer Robots { get; private set; } = null!;

    /// <summary>Route our own storage clients (not the engine's) through <see cref="Faults"/>.</summary>
    protected virtual bool InjectFaults => false;

    /// <summary>Crashes and outages of our own storage, with <see cref="InjectFaults"/>.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>The real server's address (with <see cref="RealServer"/>).</summary>
    public Uri? BaseAddress { get; private set; }

    public IServiceProvider Services => _factory!.Services;

    /// <summary>What the host logged, after the filters of its configuration.</summary>
    public LogSink Logs { get; } = new();

    private static string[] SettingNames { get; set; } = [];

    public WorkflowTime Time => Services.GetRequiredService<WorkflowTime>();

    public DurableTaskClient Engine => Services.GetRequiredService<DurableTaskClient>();

    public string ConnectionString => _azurite.ConnectionString;

    public int AzuriteProcessId => _azurite.ProcessId;

    public virtual async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        if (UsesRobots)
        {
            Robots = await Handoff.Development.FakeRobotServer.StartAsync();
        }

        // Program reads its configuration while WebApplicationFactory builds it, so the settings travel as environment variables,
        // and the fixtures start one after another.
        await Starting.WaitAsync();
        try
        {
            Start();
        }
        finally
        {
            foreach (var key in SettingNames)
            {
                Environment.SetEnvironmentVariable(key, null);
            }

            Starting.Release();
        }
    }

    private void Start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Handoff__Storage__ConnectionString"] = _azurite.ConnectionString,
            ["HandoffTaskHub"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["Handoff__Workers__Enabled"] = "false",
            ["Handoff__SampleData"] = "false",
            ["Handoff__Secrets__IdNumberKey"] = Convert.ToBase64String(new byte[32]),
            ["Handoff__Durable__MaxQueuePollingInterval"] = PollingInterval?.ToString("c"),

            // One partition in tests: the production count (16) polls 16 control queues, a load the many fixtures on one Azurite do not
            // need; CaseMoveTests runs the production count (the move, and the refusal of a hub created with another).
            ["Handoff__Durable__PartitionCount"] = "1",
            ["Handoff__Orchestration__Grace"] = Grace == TimeSpan.MinValue ? null : Grace.ToString("c"),

            // Answers are synchronous in tests: the 2 s default can run out on a loaded CI machine (a 202 is then correct, but the
            // tests read the answer as the case).
            ["Handoff__Api__CommandWait"] = CommandWait.ToString("c"),
            ["Handoff__Clock__Speed"] = Speed == 1 ? null : Speed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Handoff__Clock__Start"] = Speed == 1 ? null : "2026-03-02T08:00:00+08:00",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Handoff__Auth__Entra__Authority"] = TokenIssuer,
            ["Handoff__Auth__Entra__Audience"] = TokenAudience,
            ["urls"] = RealServer ? "http://127.0.0.1:0" : null,
        };
        foreach (var (key, value) in MoreSettings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        SettingNames = [.. settings.Keys];

        _factory = new WebApplicationFactory<ReconcilerLoop>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.ConfigureLogging(l => l.AddProvider(Logs));
            b.ConfigureTestServices(s =>
            {
                if (InjectFaults)
                {
                    // A test's fault scope (FaultInjector.Scope) flows into the requests it sends, so that only their calls count.
                    s.Configure<TestServerOptions>(o => o.PreserveExecutionContext = true);
                    s.AddSingleton(sp => Handoff.Storage.Infrastructure.StorageClients.FromConnectionString(
                        _azurite.ConnectionString, sp.GetRequiredService<Handoff.Storage.Infrastructure.StorageRequestCounter>().For, Faults.Policy));
                }

                // Tokens are signed locally: the bearer handler gets the issuer's configuration here instead of from Entra ID.
                s.PostConfigure<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions>(
                    Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme, o =>
                    {
                        var configuration = new Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration { Issuer = TokenIssuer };
                        configuration.SigningKeys.Add(SigningKey);
                        o.Configuration = configuration;
                        o.ConfigurationManager = new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<
                            Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration>(configuration);
                    });
            });
        });
        if (RealServer)
        {
            _factory.UseKestrel();
            _factory.StartServer();
            var addresses = _factory.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            BaseAddress = new Uri(addresses.First());
        }
        else
        {
            _ = _factory.Server;
        }
    }

    public virtual async Task DisposeAsync()
    {
        try
        {
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
            }
        }
        finally
        {
            await _azurite.DisposeAsync(); // whatever the host did on its way down, never leave an emulator running
            if (UsesRobots)
            {
                await Robots.DisposeAsync();
            }
        }
    }

    /// <summary>A client authenticated as <paramref name="organisationId"/> with its development key (or none).</summary>
    public HttpClient Client(string? organisationId)
    {
        var client = _factory!.CreateClient();
        if (organisationId is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", $"dev-{organisationId}");
        }

        return client;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, at most <paramref name="timeout"/> (real time); fails with <paramref name="what"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Not within {timeout}: {what}. Last seen: {value}");
            }

            await Task.Delay(100);
        }
    }

    public static System.Text.Json.JsonSerializerOptions Json { get; } = CoreJson.Create();

    public const string TokenIssuer = "https://login.example.test/handoff-tenant/v2.0";

    public const string TokenAudience = "api://handoff-test";

    public static Microsoft.IdentityModel.Tokens.SymmetricSecurityKey SigningKey { get; } = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>A locally signed token, as Entra ID would issue one.</summary>
    public static string Token(Dictionary<string, object> claims, string? audience = null, DateTime? expires = null, Microsoft.IdentityModel.Tokens.SecurityKey? key = null) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = TokenIssuer,
            Audience = audience ?? TokenAudience,
            Claims = claims,
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(key ?? SigningKey, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
}

/// <summary>
/// The self-host with a development clock 200,000 times real time (a legal day in 0.43 s), and a 3 s grace: long enough on a loaded
/// machine for a step raised just after a deadline to reach the orchestration before the deadline's tick.
/// </summary>
public sealed class FastApiFixture : ApiFixture
{
    protected override double Speed => 200_000;

    protected override TimeSpan Grace => TimeSpan.FromSeconds(3);
}

/// <summary>The self-host with no command wait: every command answers 202 unless its step was applied already.</summary>
public sealed class ImpatientApiFixture : ApiFixture
{
    protected override TimeSpan CommandWait => TimeSpan.Zero;
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>, ICollectionFixture<FastApiFixture>
{
    public const string Name = "api";
}
