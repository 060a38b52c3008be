using Handoff.Api.Auth;
using Handoff.Api.Endpoints;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Notices.Channels;
using Handoff.Storage.Protection;
using Handoff.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Handoff.Api.Hosting;

/// <summary>The services both hosts share, registered once: configuration, storage, the workflow's stores and activity, the API.</summary>
public static class HandoffServices
{
    /// <param name="storageObserver">Optional: an extra per-attempt pipeline policy for every storage client of ours, by service
    /// ("table", "queue"); the benchmark attributes requests to callers with it. The hosts pass none.</param>
    public static IServiceCollection AddHandoff(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, string defaultTaskHub,
        Func<string, Azure.Core.Pipeline.HttpPipelinePolicy>? storageObserver = null)
    {
        using var bootLoggers = LoggerFactory.Create(b => b.AddConsole());
        var bootLog = bootLoggers.CreateLogger("Handoff.Startup");

        var directoryFile = configuration["Handoff:DirectoryFile"] is { Length: > 0 } configuredDirectory ? configuredDirectory
            : environment.IsDevelopment() ? DeploymentGuard.SampleDirectoryFile
            : throw new InvalidOperationException($"Handoff:DirectoryFile must name this deployment's organisation directory; {DeploymentGuard.SampleDirectoryFile} is sample data for Development.");
        var directory = DirectoryLoader.Load(Resolve(environment, directoryFile));
        services.AddSingleton(directory);
        DeploymentGuard.Check(configuration, environment, directory);
        var calendar = CalendarLoader.Load(Resolve(environment, configuration["Handoff:CalendarFolder"] ?? "calendar"), bootLog);
        services.AddSingleton(calendar);
        services.AddSingleton(RegionLoader.Load(Resolve(environment, configuration["Handoff:RegionFile"] ?? "regions/gbt2260.json"), bootLog));

        var policy = Bind<HandoffPolicy>(configuration, "Handoff:Policy");
        var policyErrors = policy.Validate();
        if (policyErrors.Count > 0)
        {
            throw new InvalidOperationException("Invalid Handoff:Policy: " + string.Join("; ", policyErrors.Select(e => $"{e.Setting} {e.Rule}")));
        }

        services.AddSingleton(policy);
        services.AddSingleton(new WorkflowEnvironment(calendar, directory, policy, RegionalPolicies(configuration, policy)));
        services.AddSingleton(Bind<ReconcilerOptions>(configuration, "Handoff:Sweep"));
        services.AddSingleton(Bind<CommandOptions>(configuration, "Handoff:Api"));
        var retry = Bind<ApplyRetry>(configuration, "Handoff:Orchestration:Retry");
        if (retry.Validate() is { Count: > 0 } retryErrors)
        {
            throw new InvalidOperationException("Invalid Handoff:Orchestration:Retry: " + string.Join("; ", retryErrors.Select(e => $"{e.Setting} {e.Rule}")));
        }

        services.AddSingleton(retry);
        var noticeOptions = Bind<Storage.Notices.NoticeOptions>(configuration, "Handoff:Notices");
        if (noticeOptions.QueueTimeToLive < TimeSpan.FromHours(1) || noticeOptions.QueueTimeToLive > TimeSpan.FromDays(30))
        {
            throw new InvalidOperationException("Handoff:Notices:QueueTimeToLive must be between 1 hour and 30 days.");
        }

        services.AddSingleton(noticeOptions);
        var durable = DurableSettings.From(configuration);
        var taskHub = TaskHubName.From(configuration[TaskHubName.Setting], TaskHubName.Default(defaultTaskHub, durable.PartitionCount));
        services.AddSingleton(taskHub);

        var counter = new StorageRequestCounter();
        services.AddSingleton(counter);
        services.AddMetrics();
        services.AddSingleton<HandoffTelemetry>();
        var clients = StorageConnection.Create(configuration, counter, storageObserver);
        services.AddSingleton(clients);
        services.AddSingleton(new IdNumberProtector(LocalKeys.IdNumberKey(configuration)));
        var (wanted, grace) = ConfiguredClock(configuration, environment);
        services.AddSingleton(sp => AnchorClock(wanted, grace, clients, taskHub, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Handoff.Startup")));

        services.AddSingleton<CaseStore>();
        services.AddSingleton<PersonReservations>();
        services.AddSingleton<InboxStore>();
        // Group robots and e-mail (issue 22): the channels read once, checked before anything starts.
        var channels = ChannelSettings.Load(configuration, directory, environment);
        services.AddSingleton(channels);
        var delivery = Bind<Storage.Notices.Channels.ChannelDeliveryOptions>(configuration, "Handoff:Delivery");
        if (delivery.Validate() is { Count: > 0 } deliveryErrors)
        {
            throw new InvalidOperationException("Invalid Handoff:Delivery: " + string.Join("; ", deliveryErrors));
        }

        services.AddSingleton(delivery);
        services.AddSingleton<Storage.Notices.Channels.ChannelStore>();
        services.AddChannelClient(delivery.SendTimeout);
        services.AddSingleton(sp => new Storage.Notices.Channels.ChannelSender(
            sp.GetRequiredService<IHttpClientFactory>(), channels, TimeProvider.System, sp.GetService<System.Net.Security.RemoteCertificateValidationCallback>(), delivery.SendTimeout));
        services.AddSingleton(sp => new Storage.Notices.Channels.ChannelHandler(
            sp.GetRequiredService<Storage.Notices.Channels.ChannelStore>(), channels, sp.GetRequiredService<Storage.Notices.Channels.ChannelSender>(), clients,
            TimeProvider.System, sp.GetRequiredService<ILogger<Storage.Notices.Channels.ChannelHandler>>(), delivery, sp.GetRequiredService<HandoffTelemetry>()));
        services.AddSingleton(sp => new NoticeDispatcher(
            clients, sp.GetRequiredService<InboxStore>(), directory, sp.GetRequiredService<HandoffTelemetry>(), noticeOptions, channels,
            sp.GetRequiredService<Storage.Notices.Channels.ChannelStore>(), delivery, TimeProvider.System));
        services.AddSingleton<CaseIndexStore>();
        services.AddSingleton<Handoff.Storage.Statistics.RegionStatsStore>();
        services.AddSingleton<Handoff.Storage.Statistics.RegionStatsCatchUp>();

        // The supervisors' figures catch up in the background, a few seconds after the steps that changed them (and sweep for markers a
        // crashed process left): part of every step's work, so in both hosts whatever else runs (the Functions worker is a long-lived
        // generic host, so a hosted service runs in it as in the self-host).
        services.AddHostedService<StatsCatchUpService>();
        // The engine seam: what the backend decides (timer pieces, refusals, purge, partitions), from Handoff:Durable (issue 23).
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton(
            services, Workflow.Engine.EngineBackend.From(durable.Backend, durable.MaximumTimerInterval));
        services.AddSingleton<CaseInstances>();
        services.AddSingleton<ReconcilerHealth>();
        services.AddSingleton<CaseReconciler>();
        services.AddSingleton<CaseMove>();
        services.AddSingleton<CommandSignals>();
        services.AddSingleton<Registrations>();
        services.AddSingleton<CommandService>();
        services.AddSingleton<ApplyPendingActivity>();
        services.AddSingleton<ApplyStepActivity>();
        services.AddSingleton<NoteBlockedActivity>();
        services.AddSingleton<CaseCommands>();
        services.AddWebhookClient();
        services.AddSingleton(sp => new WebhookHandler(
            sp.GetRequiredService<IHttpClientFactory>(), directory, WebhookSecrets(configuration, directory), TimeProvider.System, sp.GetRequiredService<HandoffTelemetry>()));

        var useDevKeys = configuration.GetValue("Handoff:Auth:UseDevKeys", environment.IsDevelopment()); // on elsewhere is refused by DeploymentGuard
        services.AddSingleton(new ApiKeyRegistry(directory, configuration, useDevKeys));
        services.AddHandoffAuthentication(configuration, directory);
        services.ConfigureHttpJsonOptions(o =>
        {
            ApiJson.Configure(o.SerializerOptions);
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });
        return services;
    }

    /// <summary>
    /// The orchestration's grace past a deadline (<c>Handoff:Orchestration:Grace</c>) when none is set: what it must cover is the time
    /// between the API receiving a command and writing it to the case's inbox — a read and an insert, tens of milliseconds, a second
    /// under load. A command received before the deadline whose row is written later still is applied at its legal time (on time), and
    /// the escalation the tick opened meanwhile is withdrawn, saying so.
    /// </summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The workflow clock wanted: the real clock, or — in Development only — <c>Handoff:Clock:Start</c> running
    /// <c>Handoff:Clock:Speed</c> times faster; and the orchestration's grace past a deadline (<c>Handoff:Orchestration:Grace</c>).
    /// </summary>
    private static (WorkflowClock Clock, TimeSpan Grace) ConfiguredClock(IConfiguration configuration, IHostEnvironment environment)
    {
        var start = configuration["Handoff:Clock:Start"] is { Length: > 0 } s ? DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        var speed = configuration.GetValue("Handoff:Clock:Speed", 1.0);
        var grace = configuration.GetValue("Handoff:Orchestration:Grace", DefaultGrace);
        if (grace < TimeSpan.Zero || grace > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException("Handoff:Orchestration:Grace must be between 0 and 1 hour.");
        }

        if (start is null && speed == 1.0)
        {
            return (WorkflowClock.Real, grace);
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException("Handoff:Clock:Start and Handoff:Clock:Speed are for development only and are refused outside the Development environment.");
        }

        if (speed is < 1 or > 1_000_000)
        {
            throw new InvalidOperationException("Handoff:Clock:Speed must be between 1 and 1,000,000.");
        }

        var now = TimeProvider.System.GetUtcNow();
        return (new WorkflowClock(now, start ?? now, speed), grace);
    }

    /// <summary>The task hub's clock: <paramref name="wanted"/> if the hub has none yet, else the one it was anchored with.</summary>
    private static WorkflowTime AnchorClock(WorkflowClock wanted, TimeSpan grace, StorageClients clients, TaskHubName hub, ILogger log)
    {
        clients.EnsureCreatedAsync().GetAwaiter().GetResult();
        var (clock, differs) = new WorkflowClockStore(clients).AnchorAsync(hub.Value, wanted).GetAwaiter().GetResult();
        if (!clock.IsReal)
        {
            HostLog.DevelopmentClock(log, clock.ToWorkflow(TimeProvider.System.GetUtcNow()), clock.Speed);
        }

        if (differs)
        {
            HostLog.ClockKept(log, hub.Value);
        }

        return new WorkflowTime(clock, grace);
    }

    /// <summary>
    /// <c>Handoff:Policy:Regions:{prefix}</c>: for a province, city or county (a region prefix of 2, 4 or 6 digits), the settings that differ
    /// from the national ones; each starts from the national policy. Invalid ones stop the start-up, naming the region and the setting.
    /// </summary>
    private static Dictionary<string, HandoffPolicy> RegionalPolicies(IConfiguration configuration, HandoffPolicy national)
    {
        var regional = new Dictionary<string, HandoffPolicy>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection("Handoff:Policy:Regions").GetChildren())
        {
            if (section.Key.Length is not (2 or 4 or 6) || !section.Key.All(char.IsAsciiDigit))
            {
                throw new InvalidOperationException($"Handoff:Policy:Regions:{section.Key}: the key must be a region prefix of 2, 4 or 6 digits (31 for 上海, 5001 for a city).");
            }

            var policy = national with { };
            section.Bind(policy);
            if (policy.Validate() is { Count: > 0 } errors)
            {
                throw new InvalidOperationException($"Invalid Handoff:Policy:Regions:{section.Key}: " + string.Join("; ", errors.Select(e => $"{e.Setting} {e.Rule}")));
            }

            regional[section.Key] = policy;
        }

        return regional;
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var value = new T();
        configuration.GetSection(section).Bind(value);
        return value;
    }

    private static Dictionary<string, string> WebhookSecrets(IConfiguration configuration, OrganisationDirectory directory) =>
        directory.All
            .Select(o => (o.Id, Secret: configuration[$"Handoff:Webhooks:{o.Id}:Secret"]))
            .Where(x => !string.IsNullOrEmpty(x.Secret))
            .ToDictionary(x => x.Id, x => x.Secret!);

    private static string Resolve(IHostEnvironment environment, string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var candidate = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(candidate) || Directory.Exists(candidate) ? candidate : Path.Combine(environment.ContentRootPath, path);
    }
}
