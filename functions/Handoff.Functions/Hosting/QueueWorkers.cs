using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;

namespace Handoff.Functions.Hosting;

/// <summary>Self-hosted mode: creates the tables and queues, then runs a pump per consumed queue until shutdown.</summary>
public sealed class QueueWorkers(
    StorageClients clients, IEnumerable<IQueueHandler> handlers, QueueClock clock, QueueHealth health,
    ILoggerFactory loggers, IConfiguration configuration) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Handoff:Workers:Enabled", true))
        {
            return;
        }

        var pumps = handlers.Select(h => new QueuePump(clients, h, clock, health, loggers.CreateLogger<QueuePump>())).ToList();
        HostLog.WorkersStarted(loggers.CreateLogger<QueueWorkers>(), string.Join(", ", handlers.Select(h => h.Queue)));
        await Task.WhenAll(pumps.Select(p => p.RunAsync(stoppingToken)));
    }
}

/// <summary>Creates every table and queue before the server takes requests. Idempotent.</summary>
public sealed class StorageInitializer(StorageClients clients) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => clients.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
