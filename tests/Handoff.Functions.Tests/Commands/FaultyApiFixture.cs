namespace Handoff.Functions.Tests.Commands;

/// <summary>
/// The self-host with faults injectable into our own storage (the engine's own clients are untouched: the orchestration keeps
/// running, as in Azure when only our tables fail), an activity that gives up after two quick attempts, and a blocked orchestration
/// that tries again after a second, an orchestration stuck behind an activity restarted after 3 seconds — so that what takes minutes in production takes seconds here.
/// </summary>
public sealed class FaultyApiFixture : ApiFixture
{
    protected override bool InjectFaults => true;

    protected override TimeSpan CommandWait => TimeSpan.FromSeconds(3);

    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Handoff__Orchestration__Retry__Attempts"] = "2",
        ["Handoff__Orchestration__Retry__Interval"] = "00:00:00.200",
        ["Handoff__Orchestration__Retry__BlockedWait"] = "00:00:01",
        ["Handoff__Orchestration__Retry__BlockedWaitMax"] = "00:00:02",
        ["Handoff__Sweep__ReservationTimeout"] = "00:00:01",
        ["Handoff__Sweep__Grace"] = "00:00:01",
        ["Handoff__Sweep__StallAfter"] = "00:00:03",
    };
}
