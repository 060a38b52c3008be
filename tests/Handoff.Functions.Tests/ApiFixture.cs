using System.Net.Http.Json;
using Handoff.Core.Serialization;
using Handoff.Storage.Cases;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;
using Handoff.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Functions.Tests;

/// <summary>
/// The real app (Program) over its own Azurite, with the workflow clock in the test's hands and the queue workers off:
/// tests run the workers' passes themselves so that nothing happens behind their backs.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private WebApplicationFactory<Program>? _factory;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 2, 20, 9, 0, 0, TimeSpan.FromHours(8)));

    public IServiceProvider Services => _factory!.Services;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();

        // Program reads its configuration before WebApplicationFactory could inject any, so the settings travel as environment variables.
        Environment.SetEnvironmentVariable("Handoff__Storage__ConnectionString", _azurite.ConnectionString);
        Environment.SetEnvironmentVariable("Handoff__Workers__Enabled", "false");
        Environment.SetEnvironmentVariable("Handoff__CustomHandler__Enabled", "true");
        Environment.SetEnvironmentVariable("Handoff__Runtime__DispatchDelay", "00:00:00");
        Environment.SetEnvironmentVariable("Handoff__Secrets__IdNumberKey", Convert.ToBase64String(new byte[32]));
        Environment.SetEnvironmentVariable("ASPNETCORE_ENVIRONMENT", "Development");
        Environment.SetEnvironmentVariable("Handoff__Auth__Entra__Authority", TokenIssuer);
        Environment.SetEnvironmentVariable("Handoff__Auth__Entra__Audience", TokenAudience);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.ConfigureTestServices(s =>
            {
                s.AddSingleton<TimeProvider>(Time);

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
        _ = _factory.Server;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _azurite.DisposeAsync();
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

    /// <summary>One pass of the wake-up worker until nothing is visible.</summary>
    public async Task DrainAsync()
    {
        var handler = Services.GetServices<IQueueHandler>().Single(h => h.Queue == StorageNames.WakeUpQueue);
        var pump = new QueuePump(Services.GetRequiredService<StorageClients>(), handler, QueueClock.System, new QueueHealth(),
            NullLogger<QueuePump>.Instance, new QueuePumpOptions { Lease = TimeSpan.FromSeconds(1) });
        for (var i = 0; i < 30 && await pump.PollOnceAsync(CancellationToken.None) > 0; i++)
        {
        }
    }

    /// <summary>Fires a case's durable timer now, as its hidden message would when due.</summary>
    public async Task FireTimerAsync(string caseId)
    {
        var (record, _) = await Services.GetRequiredService<CaseStore>().LoadAsync(caseId);
        await Services.GetRequiredService<WakeUpQueue>().SendAsync(new WakeUpMessage(caseId, record!.TimerToken, record.Version), TimeSpan.Zero);
        await Task.Delay(50);
        await DrainAsync();
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

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
