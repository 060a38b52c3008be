namespace Handoff.Benchmarks.Hosting;

/// <summary>How a floor engine is set up: partitions and polling; production's other settings, or the engine's own defaults.</summary>
/// <param name="DurableDefaults">True: every other setting at DurableTask.AzureStorage's defaults (Durable Functions' defaults are 4
/// partitions and 30 s); false: the rest as <c>DurableSettings</c> (production).</param>
public sealed record FloorProfile(int PartitionCount, TimeSpan MaxQueuePollingInterval, bool DurableDefaults = false, TimeSpan? MaximumTimerInterval = null)
{
    public static FloorProfile Production { get; } = new(new Handoff.Api.Hosting.DurableSettings().PartitionCount, TimeSpan.FromSeconds(10));

    public string Name => $"{PartitionCount} partition{(PartitionCount == 1 ? "" : "s")}, {MaxQueuePollingInterval.TotalSeconds:0} s{(DurableDefaults ? " (Durable defaults)" : "")}";
}
