using Azure.Data.Tables;
using DurableTask.AzureStorage;
using Handoff.Api.Hosting;
using Handoff.SelfHost;
using Handoff.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>The self-host's engine settings, against its own Azurite.</summary>
public sealed class DurableEngineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>
    /// The engine's table partition manager lets a worker renew and listen on every partition whose owner has its worker id. Two
    /// self-host processes on one machine (the soak runs three) must therefore not share one — DurableTask.AzureStorage defaults it to
    /// the machine name — or each treats the control queue as its own: "split brain detected" on every other episode, messages
    /// abandoned and returned out of order, and twenty cases take many minutes.
    /// </summary>
    [Fact]
    public async Task TwoEnginesOnOneMachine_HaveTheirOwnWorkerIds_AndOneOwnsThePartition()
    {
        var hub = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var first = Engine(hub);
        await using var second = Engine(hub);
        var services = new[] { first, second }.Select(p => p.GetRequiredService<AzureStorageOrchestrationService>()).ToList();
        var workerIds = new[] { first, second }.Select(p => p.GetRequiredService<AzureStorageOrchestrationServiceSettings>().WorkerId).ToList();

        await services[0].CreateIfNotExistsAsync();
        foreach (var service in services)
        {
            await service.StartAsync();
        }

        try
        {
            var owner = await ApiFixture.EventuallyAsync(() => PartitionOwnerAsync(hub), o => o is not null, TimeSpan.FromSeconds(30), "a worker owns the partition");

            Assert.NotEqual(workerIds[0], workerIds[1]);
            Assert.Contains(owner, workerIds);
        }
        finally
        {
            foreach (var service in services)
            {
                await service.StopAsync(isForced: true);
            }
        }
    }

    /// <summary>The engine seam (issue 23): a backend that is not built is refused at start, saying what it would take.</summary>
    [Fact]
    public void ABackendNotBuilt_IsRefusedAtStart_WithWhatItWouldTake()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Handoff:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Handoff:Durable:Backend"] = "DurableTaskScheduler",
        }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddDurableEngine(configuration));

        Assert.Contains("Handoff:Durable:Backend 'DurableTaskScheduler' is not built: only 'AzureStorage' is", refused.Message, StringComparison.Ordinal);
        Assert.Contains("The engine behind one seam", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void APartitionCountOutsideTheBackendsLimit_IsRefusedAtStart(int partitions)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Handoff:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Handoff:Durable:PartitionCount"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddDurableEngine(configuration));

        Assert.Equal($"Handoff:Durable:PartitionCount must be 1–16 (the AzureStorage backend's limit); it is {partitions}.", refused.Message);
    }

    private ServiceProvider Engine(string hub)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Handoff:Storage:ConnectionString"] = azurite.ConnectionString,
            [TaskHubName.Setting] = hub,
            ["Handoff:Durable:PartitionCount"] = "1",
        }).Build();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(new TaskHubName(hub));
        services.AddDurableEngine(configuration);
        return services.BuildServiceProvider();
    }

    private async Task<string?> PartitionOwnerAsync(string hub)
    {
        var table = new TableClient(azurite.ConnectionString, hub + "Partitions");
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (row.GetString("CurrentOwner") is { Length: > 0 } owner)
            {
                return owner;
            }
        }

        return null;
    }
}
