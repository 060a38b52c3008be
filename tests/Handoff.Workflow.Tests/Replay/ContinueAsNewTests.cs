using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Handoff.Core.Cases;
using Handoff.Core.Time;
using static Handoff.Testing.TestData;

namespace Handoff.Workflow.Tests.Replay;

/// <summary>
/// The end of a generation, through DurableTask.Core's executor: after <see cref="CaseOrchestration.StepsPerGeneration"/> steps, at a
/// quiet point, the orchestration continues as new with its progress — and no signal that had already reached it is lost, whether it
/// arrived while the last step was being applied or in the same episode as that step's result. (Signals only say that the inbox holds
/// something, and every generation starts by applying the inbox; a signal is kept anyway, since a step an earlier build raised has no row.)
/// </summary>
public sealed class ContinueAsNewTests
{
    private const string CaseId = "HO-GENERATION01";
    private static readonly DateTime Started = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Received = new(2026, 12, 1, 17, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void LastStepOfAGeneration_SignalsArrivedWhileItWasApplied_AreAppliedBeforeTheGenerationEnds()
    {
        var (history, pending) = AtTheLastStepOfTheGeneration();
        Assert.Empty(history.Deliver(At(100), SyntheticHistory.Raised(Step(24), At(100)), SyntheticHistory.Raised(Step(25), At(100))));

        var actions = history.Complete(pending, Progress(24, "ack-23"), At(101));

        // Not a quiet point: a signal is in hand. Both signals go to one activity, then the generation ends.
        var both = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal([Step(24), Step(25)], RecordedHistoryTests.Pending(both).Signalled!);
        var continued = ContinuedAsNew(history.Complete(both, Progress(25, "ack-24", "ack-25"), At(102)));
        Assert.Equal(Input() with { Progress = Progress(25), Generation = 1 }, continued with { RecentSteps = null });
        Assert.Contains("ack-25", continued.RecentSteps!);
    }

    [Fact]
    public void LastStepOfAGeneration_SignalsArrivingWithItsResult_AreCarriedOverToTheNextGeneration()
    {
        var (history, pending) = AtTheLastStepOfTheGeneration();

        var actions = history.Deliver(At(101),
            SyntheticHistory.Completed(pending, Progress(24, "ack-23"), At(101)), SyntheticHistory.Raised(Step(24), At(101)), SyntheticHistory.Raised(Step(25), At(101)));

        // The wait left open is given up before ContinueAsNew: the signals raised in this very episode are not swallowed by it.
        var complete = Assert.Single(actions.OfType<OrchestrationCompleteOrchestratorAction>());
        Assert.Equal(OrchestrationStatus.ContinuedAsNew, complete.OrchestrationStatus);
        var carried = complete.CarryoverEvents.OfType<EventRaisedEvent>().Select(e => WorkflowJson.Converter.Deserialize<CaseStep>(e.Input)!)
            .Concat(actions.OfType<SendEventOrchestratorAction>().Select(e => WorkflowJson.Converter.Deserialize<CaseStep>(e.EventData)!));
        Assert.Equal([Step(24), Step(25)], carried);
    }

    [Fact]
    public void NextGeneration_AppliesTheInboxFirst_ThenTheCarriedSignals()
    {
        var next = Input() with { Progress = Progress(24), Generation = 1 };
        var (history, actions) = SyntheticHistory.Start(next, At(102));
        var first = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(new ApplyPendingRequest(CaseId, null), RecordedHistoryTests.Pending(first) with { Run = null });
        Assert.Empty(history.Complete(first, Progress(24), At(103)));

        // Delivered one after the other in one episode, the first wakes the orchestration before the second is delivered; the second
        // waits for the first's activity (signals that arrive while an activity runs go together, as above).
        actions = history.Deliver(At(104), SyntheticHistory.Raised(Step(24), At(104)), SyntheticHistory.Raised(Step(25), At(104)));
        var one = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal([Step(24)], RecordedHistoryTests.Pending(one).Signalled!);
        var two = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(history.Complete(one, Progress(25, "ack-24"), At(105))));
        Assert.Equal([Step(25)], RecordedHistoryTests.Pending(two).Signalled!);
        ReplayAssert.ReplaysAsRecorded(new RecordedHistory("next-generation", "", "synthetic", history.Events));
    }

    [Fact]
    public void PastTheLastStep_ASignalThatReachedTheWaitDuringATick_IsAppliedBeforeTheGenerationEnds()
    {
        // The registration and 22 steps, the last one leaving a deadline to wait for; the 24th step is that deadline's tick.
        var (history, actions) = SyntheticHistory.Start(Input(), At(0));
        var task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Empty(history.Complete(task, Progress(1), At(1)));
        var due = new DateTimeOffset(At(1000));
        for (var i = 1; i < CaseOrchestration.StepsPerGeneration - 1; i++)
        {
            task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(history.Deliver(At(2 * i), SyntheticHistory.Raised(Step(i), At(2 * i)))));
            var last = i == CaseOrchestration.StepsPerGeneration - 2;
            actions = history.Complete(task, last ? Progress(i + 1, Step(i).CommandId) with { NextDueAt = due } : Progress(i + 1, Step(i).CommandId), At((2 * i) + 1));
        }

        var timer = Assert.IsType<CreateTimerOrchestratorAction>(Assert.Single(actions));
        var tick = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(history.FireTimer(timer, timer.FireAt)));
        Assert.IsType<Tick>(RecordedHistoryTests.Pending(tick).Tick!.Command);

        // While the tick is applied, a signal reaches the wait the loop left open: it must not be dropped by ending the generation.
        Assert.Empty(history.Deliver(timer.FireAt.AddSeconds(1), SyntheticHistory.Raised(Step(30), timer.FireAt.AddSeconds(1))));
        actions = history.Complete(tick, Progress(24), timer.FireAt.AddSeconds(2));

        Assert.DoesNotContain(actions, a => a is OrchestrationCompleteOrchestratorAction);
        var applied = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal([Step(30)], RecordedHistoryTests.Pending(applied).Signalled!);
        Assert.Equal(Progress(25), ContinuedAsNew(history.Complete(applied, Progress(25), timer.FireAt.AddSeconds(3))).Progress);
    }

    /// <summary>
    /// A generation that applied its registration and 22 steps one by one (nothing falls due: the case waits only for steps), and whose
    /// 23rd step's activity — the generation's 24th — is in flight.
    /// </summary>
    private static (SyntheticHistory History, ScheduleTaskOrchestratorAction Pending) AtTheLastStepOfTheGeneration()
    {
        var (history, actions) = SyntheticHistory.Start(Input(), At(0));
        var task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        var request = RecordedHistoryTests.Pending(task);
        Assert.NotNull(request.Run); // a new case: nothing to publish again
        Assert.Equal(new ApplyPendingRequest(CaseId, null), request with { Run = null });
        Assert.Empty(history.Complete(task, Progress(1, "register"), At(1)));
        for (var i = 1; i < CaseOrchestration.StepsPerGeneration; i++)
        {
            actions = history.Deliver(At(2 * i), SyntheticHistory.Raised(Step(i), At(2 * i)));
            task = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
            Assert.Equal([Step(i)], RecordedHistoryTests.Pending(task).Signalled!);
            if (i < CaseOrchestration.StepsPerGeneration - 1)
            {
                Assert.Empty(history.Complete(task, Progress(i + 1, Step(i).CommandId), At((2 * i) + 1)));
            }
        }

        return (history, task);
    }

    private static CaseOrchestrationInput Input() => new(CaseOrchestration.SchemaVersion, CaseId, WorkflowClock.Real, TimeSpan.FromSeconds(1), null, Progress: null);

    /// <summary>A repeated acknowledgement's signal: a step that changes nothing, and still counts.</summary>
    private static CaseStep Step(int n) => new($"ack-{n:D2}", new AcknowledgeNotice(As(Office)), Received.AddMinutes(n));

    /// <summary>Nothing falls due, so the orchestration waits only for steps.</summary>
    private static CaseProgress Progress(int version, params string[] applied) =>
        new(version, CaseState.Acknowledged, NextDueAt: null, Closed: false, applied.Length == 0 ? null : applied);

    private static DateTime At(int seconds) => Started.AddSeconds(seconds);

    private static CaseOrchestrationInput ContinuedAsNew(IReadOnlyList<OrchestratorAction> actions)
    {
        var complete = Assert.Single(actions.OfType<OrchestrationCompleteOrchestratorAction>());
        Assert.Equal(OrchestrationStatus.ContinuedAsNew, complete.OrchestrationStatus);
        return WorkflowJson.Converter.Deserialize<CaseOrchestrationInput>(complete.Result)!;
    }
}
