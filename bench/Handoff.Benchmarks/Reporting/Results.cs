using Handoff.Benchmarks.Measurements;

namespace Handoff.Benchmarks.Reporting;

/// <summary>Everything one run measured; a section that did not run stays null.</summary>
public sealed class Results
{
    public required BenchOptions Options { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required string LoadAtStart { get; init; }

    public string LoadAtEnd { get; set; } = "";

    public TimeSpan Duration { get; set; }

    public List<IdleCost.Result> Curve { get; } = [];

    public IdleCost.Result? IdleOurs { get; set; }

    public CrossProcessLatency.Result? CrossProcess { get; set; }

    public HandoffRequests.Result? Handoffs { get; set; }

    public HandoffRequests.FloorResult? FloorOne { get; set; }

    public HandoffRequests.FloorResult? FloorHandoff { get; set; }

    public TimerLateness.Result? Timers { get; set; }

    public DemoTimers.Result? Demo { get; set; }

    public CountyBurst.Result? County { get; set; }

    public ParkedCases.Result? Parked { get; set; }

    public DashboardCost.Result? Dashboard { get; set; }

    public ChannelBurst.Result? Channels { get; set; }

    public NationalScale.Result? National { get; set; }

    /// <summary>Sections that threw, with why: the others still report.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Failures { get; } = new(StringComparer.Ordinal);
}
