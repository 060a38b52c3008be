using DurableTask.Core.Command;
using Handoff.Core.Cases;
using Handoff.Core.Time;

namespace Handoff.Workflow.Tests.Replay;

/// <summary>
/// A durable timer can be delivered early (Azure Storage truncates a message's visibility to whole seconds; both recorded histories
/// show it). Through DurableTask.Core's executor, with the engine's own notion of time — the OrchestratorStarted timestamp of the
/// episode that delivers TimerFired — a timer that arrives before the deadline plus the grace re-arms instead of acting, and one that
/// arrives after it applies the tick. Exact to the tick, without waiting.
/// </summary>
public sealed class EarlyFireTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);
    private static readonly DateTime Started = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>The report deadline of a released case, two hours after the (restored) instance starts; production's real clock.</summary>
    private static readonly DateTimeOffset Due = new(2026, 12, 1, 11, 0, 0, TimeSpan.Zero);

    private static DateTime TickAt => (Due + Grace).UtcDateTime;

    public static TheoryData<double> Early() => [-15_000 + 1, -1000, -1, -0.0001];

    public static TheoryData<double> OnTime() => [0, 1, 3000];

    [Fact]
    public void Start_WaitingOnADeadline_ArmsOneTimerAtTheDeadlinePlusGrace()
    {
        var (_, actions) = Start(Input(WorkflowClock.Real));

        var timer = Assert.IsType<CreateTimerOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(TickAt, timer.FireAt);
    }

    [Theory]
    [MemberData(nameof(Early))]
    public void TimerFired_BeforeTheDeadlinePlusGrace_ReArmsASecondLater_AndAppliesNoTick(double millisecondsFromTickAt)
    {
        var (history, started) = Start(Input(WorkflowClock.Real));

        var actions = history.FireTimer(Timer(started), TickAt.AddMilliseconds(millisecondsFromTickAt));

        Assert.DoesNotContain(actions, a => a is ScheduleTaskOrchestratorAction);
        var rearmed = Assert.IsType<CreateTimerOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(TickAt.AddSeconds(1), rearmed.FireAt);
    }

    [Theory]
    [MemberData(nameof(OnTime))]
    public void TimerFired_AtOrAfterTheDeadlinePlusGrace_AppliesTheTickAsOfTheGraceAgo(double millisecondsFromTickAt)
    {
        var (history, started) = Start(Input(WorkflowClock.Real));
        var firedAt = TickAt.AddMilliseconds(millisecondsFromTickAt);

        var actions = history.FireTimer(Timer(started), firedAt);

        var step = Tick(actions);
        Assert.Equal(new DateTimeOffset(firedAt, TimeSpan.Zero) - Grace, step.ReceivedAt);
        Assert.True(step.ReceivedAt >= Due);
    }

    [Fact]
    public void TimerFiredEarly_ThenTheReArmedTimerAlsoEarly_TicksOnceTheDeadlinePlusGraceHasPassed()
    {
        var (history, started) = Start(Input(WorkflowClock.Real));
        var rearmed = Timer(history.FireTimer(Timer(started), TickAt.AddMilliseconds(-900)));

        // The re-armed timer is a second past the tick instant, so even delivered up to a second early it lands after it.
        var actions = history.FireTimer(rearmed, rearmed.FireAt.AddMilliseconds(-900));

        Assert.Equal(new DateTimeOffset(rearmed.FireAt.AddMilliseconds(-900), TimeSpan.Zero) - Grace, Tick(actions).ReceivedAt);
        ReplayAssert.ReplaysAsRecorded(new RecordedHistory("early-twice", "", "synthetic", history.Events));
    }

    [Fact]
    public void TimerFiredEarly_OnADevelopmentClock_ComparesInRealTime()
    {
        // Four legal days a real second: the grace is real time, so an early fire is early by real time, not workflow time.
        var clock = new WorkflowClock(new DateTimeOffset(Started), new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8)), 86400 * 4);
        var due = new DateTimeOffset(2026, 3, 18, 0, 0, 0, TimeSpan.FromHours(8));
        var tickAt = (clock.ToReal(due) + Grace).UtcDateTime;
        var (history, started) = Start(Input(clock, due));
        Assert.Equal(tickAt, Timer(started).FireAt);

        var early = history.FireTimer(Timer(started), tickAt.AddMilliseconds(-500));
        Assert.Equal(tickAt.AddSeconds(1), Timer(early).FireAt);

        var onTime = history.FireTimer(Timer(early), tickAt.AddMilliseconds(600));
        Assert.Equal(clock.ToWorkflow(new DateTimeOffset(tickAt.AddMilliseconds(600)) - Grace), Tick(onTime).ReceivedAt);
    }

    [Fact]
    public void FifteenDayDeadline_OnTheRealClock_IsWaitedInTheHostsTimerPieces_AndTicksOnlyAfterTheLast()
    {
        // Production: the report period is 15 real days; both hosts split waits into pieces of at most 6 days (Azure Storage hides a
        // message at most 7), and each piece can be delivered up to a second early.
        var due = new DateTimeOffset(Started).AddDays(15);
        var tickAt = (due + Grace).UtcDateTime;
        var (history, actions) = Start(Input(WorkflowClock.Real, due));
        var pieces = new List<DateTime>();
        var now = Started;
        while (actions is [CreateTimerOrchestratorAction timer] && pieces.Count < 10)
        {
            pieces.Add(timer.FireAt);
            now = timer.FireAt.AddMilliseconds(-800);
            actions = history.FireTimer(timer, now);
        }

        Assert.Equal([Started.AddDays(6), Started.AddDays(12).AddMilliseconds(-800), tickAt, tickAt.AddSeconds(1)], pieces);
        Assert.Equal(new DateTimeOffset(now, TimeSpan.Zero) - Grace, Tick(actions).ReceivedAt);
        ReplayAssert.ReplaysAsRecorded(new RecordedHistory("fifteen-days", "", "synthetic", history.Events));
    }

    /// <summary>A restored (or continued) instance: it applies what waits in the inbox first (nothing), then waits on the deadline.</summary>
    private static (SyntheticHistory History, IReadOnlyList<OrchestratorAction> Actions) Start(CaseOrchestrationInput input)
    {
        var (history, actions) = SyntheticHistory.Start(input, Started);
        var first = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(ApplyPendingActivity.Name, first.Name);
        Assert.Null(RecordedHistoryTests.Pending(first).Tick);
        return (history, history.Complete(first, input.Progress! with { Applied = [] }, Started));
    }

    private static CaseOrchestrationInput Input(WorkflowClock clock, DateTimeOffset? due = null) => new(
        CaseOrchestration.SchemaVersion, "HO-EARLYFIRE01", clock, Grace, Registration: null,
        new CaseProgress(5, CaseState.Released, due ?? Due, Closed: false), Generation: 1);

    private static CreateTimerOrchestratorAction Timer(IReadOnlyList<OrchestratorAction> actions) =>
        Assert.IsType<CreateTimerOrchestratorAction>(Assert.Single(actions));

    private static CaseStep Tick(IReadOnlyList<OrchestratorAction> actions)
    {
        var task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(ApplyPendingActivity.Name, task.Name);
        var step = RecordedHistoryTests.Pending(task).Tick!;
        Assert.IsType<Tick>(step.Command);
        return step;
    }
}
