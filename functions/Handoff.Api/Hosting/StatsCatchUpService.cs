using Handoff.Storage.Statistics;
using Microsoft.Extensions.Hosting;

namespace Handoff.Api.Hosting;

/// <summary>Runs the supervisors' figures' catch-up (<see cref="RegionStatsCatchUp"/>) for the life of the process, in both hosts.</summary>
public sealed class StatsCatchUpService(RegionStatsCatchUp catchUp) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => catchUp.RunAsync(stoppingToken);
}
