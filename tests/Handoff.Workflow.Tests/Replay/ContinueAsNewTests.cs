using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Handoff.Core.Cases;
using Handoff.Core.Time;
using static Handoff.Testing.TestData;

namespace Handoff.Workflow.Tests.Replay;

/// <summary>
/// The end of a generation, through DurableTask.Core's executor: after <see cref="CaseOrchestration.StepsPerGeneration"/> steps,
/// at a quiet point, the orchestration continues as new with its progress — and no step that had already reached it is lost,
/// whether it arrived while the last step was being applied or in the same episode as that step's result.
/// </summary>
public sealed class ContinueAsNewTests
{
    private const string CaseId = "HO-GENERATION01";
    private static readonly DateTime Started = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Received = new(2026, 12, 1, 17, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void LastStepOfAGeneration_StepsArrivedWhileItWasApplied_AreSentOnToTheNextGeneration()
    {
        var (history, pending) = AtTheLastStepOfTheGeneration();
        history.Deliver(At(100), SyntheticHistory.Raised(Step(25), At(100)), SyntheticHistory.Raised(Step(26), At(100)));

        var actions = history.Complete(pending, Progress(25), At(101));

        var continued = ContinuedAsNew(actions);
        Assert.Equal(Input() with { Registration = null, Progress = Progress(25), Generation = 1 }, continued with { RecentSteps = null });
        Assert.NotNull(continued.RecentSteps); // the ids the next generation drops repeats of (schema 2)
        var sent = actions.OfType<SendEventOrchestratorAction>().ToList();
        Assert.Equal([Step(25), Step(26)], sent.Select(s => WorkflowJson.Converter.Deserialize<CaseStep>(s.EventData)!));
        Assert.All(sent, s => Assert.Equal((CaseId, CaseOrchestration.StepEvent), (s.Instance?.InstanceId, s.EventName)));
    }

    [Fact]
    public void LastStepOfAGeneration_StepsArrivingWithItsResult_AreCarriedOverByTheEngine()
    {
        var (history, pending) = AtTheLastStepOfTheGeneration();

        var actions = history.Deliver(At(101),
            SyntheticHistory.Completed(pending, Progress(25), At(101)), SyntheticHistory.Raised(Step(25), At(101)), SyntheticHistory.Raised(Step(26), At(101)));

        var complete = Assert.Single(actions.OfType<OrchestrationCompleteOrchestratorAction>());
        Assert.Equal(OrchestrationStatus.ContinuedAsNew, complete.OrchestrationStatus);
        Assert.Equal([Step(25), Step(26)], complete.CarryoverEvents.OfType<EventRaisedEvent>().Select(e => WorkflowJson.Converter.Deserialize<CaseStep>(e.Input)!));
    }

    [Fact]
    public void NextGeneration_CarriedSteps_AreAppliedInOrderFromTheCarriedProgress()
    {
        var next = Input() with { Registration = null, Progress = Progress(25), Generation = 1 };
        var (history, actions) = SyntheticHistory.Start(next, At(102));
        Assert.Empty(actions);

        actions = history.Deliver(At(103), SyntheticHistory.Raised(Step(25), At(103)), SyntheticHistory.Raised(Step(26), At(103)));
        var first = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(Step(25), RecordedHistoryTests.Request(first).Step);

        actions = history.Complete(first, Progress(26), At(104));
        var second = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(Step(26), RecordedHistoryTests.Request(second).Step);
        ReplayAssert.ReplaysAsRecorded(new RecordedHistory("next-generation", "", "synthetic", history.Events));
    }

    [Fact]
    public void PastTheLastStep_AStepThatReachedTheWaitDuringATick_IsAppliedBeforeTheGenerationEnds()
    {
        // 23 steps, the last one leaving a deadline to wait for; the 24th loop is that deadline's tick.
        var (history, actions) = SyntheticHistory.Start(Input(), At(0));
        var task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Empty(history.Complete(task, Progress(1), At(1)));
        var due = new DateTimeOffset(At(1000));
        for (var i = 1; i < CaseOrchestration.StepsPerGeneration; i++)
        {
            task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(history.Deliver(At(2 * i), SyntheticHistory.Raised(Step(i), At(2 * i)))));
            actions = history.Complete(task, i < CaseOrchestration.StepsPerGeneration - 1 ? Progress(i + 1) : Progress(i + 1) with { NextDueAt = due }, At((2 * i) + 1));
        }

        var timer = Assert.IsType<CreateTimerOrchestratorAction>(Assert.Single(actions));
        var tick = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(history.FireTimer(timer, timer.FireAt)));
        Assert.IsType<Tick>(RecordedHistoryTests.Request(tick).Step.Command);

        // While the tick is applied, a step reaches the wait the loop left open: it must not be dropped by ending the generation.
        Assert.Empty(history.Deliver(timer.FireAt.AddSeconds(1), SyntheticHistory.Raised(Step(24), timer.FireAt.AddSeconds(1))));
        actions = history.Complete(tick, Progress(25), timer.FireAt.AddSeconds(2));

        Assert.DoesNotContain(actions, a => a is OrchestrationCompleteOrchestratorAction);
        var applied = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(Step(24), RecordedHistoryTests.Request(applied).Step);
        Assert.Equal(Progress(26), ContinuedAsNew(history.Complete(applied, Progress(26), timer.FireAt.AddSeconds(3))).Progress);
    }

    /// <summary>
    /// A generation that applied its registration and 23 steps one by one (nothing falls due: the case waits only for steps), and
    /// whose 24th step's activity is in flight.
    /// </summary>
    private static (SyntheticHistory History, ScheduleTaskOrchestratorAction Pending) AtTheLastStepOfTheGeneration()
    {
        var (history, actions) = SyntheticHistory.Start(Input(), At(0));
        var task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Empty(history.Complete(task, Progress(1), At(1)));
        for (var i = 1; i <= CaseOrchestration.StepsPerGeneration; i++)
        {
            actions = history.Deliver(At(2 * i), SyntheticHistory.Raised(Step(i), At(2 * i)));
            task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
            Assert.Equal(Step(i), RecordedHistoryTests.Request(task).Step);
            if (i < CaseOrchestration.StepsPerGeneration)
            {
                Assert.Empty(history.Complete(task, Progress(i + 1), At((2 * i) + 1)));
            }
        }

        return (history, task);
    }

    private static CaseOrchestrationInput Input() => new(
        CaseOrchestration.SchemaVersion, CaseId, WorkflowClock.Real, TimeSpan.FromSeconds(15),
        new CaseStep("register", Register(new DateOnly(2026, 12, 10), caseId: CaseId), Received), Progress: null);

    /// <summary>A repeated acknowledgement: a step that changes nothing, and still counts.</summary>
    private static CaseStep Step(int n) => new($"ack-{n:D2}", new AcknowledgeNotice(As(Office)), Received.AddMinutes(n));

    /// <summary>Nothing falls due, so the orchestration waits only for steps.</summary>
    private static CaseProgress Progress(int version) => new(version, CaseState.Acknowledged, NextDueAt: null, Closed: false);

    private static DateTime At(int seconds) => Started.AddSeconds(seconds);

    private static CaseOrchestrationInput ContinuedAsNew(IReadOnlyList<OrchestratorAction> actions)
    {
        var complete = Assert.Single(actions.OfType<OrchestrationCompleteOrchestratorAction>());
        Assert.Equal(OrchestrationStatus.ContinuedAsNew, complete.OrchestrationStatus);
        return WorkflowJson.Converter.Deserialize<CaseOrchestrationInput>(complete.Result)!;
    }
}
