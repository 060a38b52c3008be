using System.Globalization;
using Handoff.Api.Hosting;
using Handoff.Benchmarks.Metering;
using Handoff.SelfHost;
using Handoff.Storage.Cases;
using Handoff.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Handoff.Benchmarks.Hosting;

/// <summary>
/// The real self-host, built as <c>functions/Handoff.SelfHost/Program.cs</c> builds it (AddHandoff, AddDurableEngine,
/// AddSelfHostWorkers, MapHandoffRoutes) on a loopback port, with its settings in memory and every storage client — ours and the
/// engine's — metered. One middleware of the benchmark's marks each HTTP request as the API's. Development environment: the
/// sample directory's dev keys, and the dev clock where a profile asks for one.
/// </summary>
public sealed class HandoffHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HandoffHost(WebApplication app, Meter meter, Uri address, string hub)
    {
        _app = app;
        Meter = meter;
        Address = address;
        Hub = hub;
    }

    public Meter Meter { get; }

    public Uri Address { get; }

    public string Hub { get; }

    public IServiceProvider Services => _app.Services;

    public WorkflowTime Time => Services.GetRequiredService<WorkflowTime>();

    public DurableTaskClient Engine => Services.GetRequiredService<DurableTaskClient>();

    public CaseStore Cases => Services.GetRequiredService<CaseStore>();

    public static async Task<HandoffHost> StartAsync(string hub, string connectionString, HostProfile profile, Meter? meter = null)
    {
        meter ??= new Meter(hub);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(Settings(hub, connectionString, profile));
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(
            (category, level) => level >= LogLevel.Warning && (category is null || !EngineLog.IsEngine(category)));
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Error);
        builder.Logging.AddProvider(EngineLog.Instance);

        builder.Services.AddHandoff(builder.Configuration, builder.Environment, defaultTaskHub: hub, storageObserver: s => meter.Policy(Meter.Ours, s));
        builder.Services.AddDurableEngine(builder.Configuration, storageObserver: s => meter.Policy(Meter.Engine, s));
        if (!profile.EngineWorker)
        {
            // A second instance that does not own the partition: the API and the engine's client, not its worker.
            builder.Services.Remove(builder.Services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.DeclaringType == typeof(DurableEngine)));
        }

        builder.Services.AddSelfHostWorkers(builder.Configuration);

        Handoff.Pages.Infrastructure.PageSession.AddHandoffPages(builder.Services, builder.Configuration, builder.Environment);

        // Many hosts share this process: none may take Ctrl+C or SIGTERM for itself (the benchmark's handler kills its Azurites).
        builder.Services.AddSingleton<IHostLifetime, NoSignals>();
        var app = builder.Build();
        app.Use(async (http, next) =>
        {
            using var api = Caller.As(Caller.Api);
            await next(http);
        });
        app.MapHandoffRoutes();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HandoffHost(app, meter, new Uri(address), hub);
    }

    private static Dictionary<string, string?> Settings(string hub, string connectionString, HostProfile profile)
    {
        var settings = new Dictionary<string, string?>
        {
            [StorageConnection.ConnectionStringKey] = connectionString,
            [TaskHubName.Setting] = hub,
            ["Handoff:Workers:Enabled"] = profile.Workers ? "true" : "false",
            ["Handoff:SampleData"] = "false",
            ["Handoff:Secrets:IdNumberKey"] = Convert.ToBase64String(new byte[32]),
            ["Handoff:Durable:PartitionCount"] = profile.PartitionCount.ToString(CultureInfo.InvariantCulture),
            ["Handoff:Api:CommandWait"] = profile.CommandWait.ToString("c", CultureInfo.InvariantCulture),
        };

        // Left out, the host's defaults apply (the demo profile: those of a fast development clock).
        if (profile.MaxQueuePollingInterval is { } polling)
        {
            settings["Handoff:Durable:MaxQueuePollingInterval"] = polling.ToString("c", CultureInfo.InvariantCulture);
        }

        if (profile.Grace is { } grace)
        {
            settings["Handoff:Orchestration:Grace"] = grace.ToString("c", CultureInfo.InvariantCulture);
        }
        if (profile.ClockStart is { } start)
        {
            settings["Handoff:Clock:Start"] = start.ToString("O", CultureInfo.InvariantCulture);
            settings["Handoff:Clock:Speed"] = profile.ClockSpeed.ToString(CultureInfo.InvariantCulture);
        }

        if (profile.MaximumTimerInterval is { } interval)
        {
            settings["Handoff:Durable:MaximumTimerInterval"] = interval.ToString("c", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private sealed class NoSignals : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }
}
