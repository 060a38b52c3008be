using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;

namespace Handoff.Workflow.Tests.Replay;

/// <summary>
/// Drives the current orchestration through DurableTask.Core's executor episode by episode, with the deliveries a test chooses
/// (timer fires, activity results, events) at the instants it chooses, and records each episode's actions into the history the
/// way the engine does — so time, early timers and interleavings are exact, and nothing waits.
/// </summary>
public sealed class SyntheticHistory
{
    private readonly List<HistoryEvent> _events = [];

    private SyntheticHistory()
    {
    }

    public IReadOnlyList<HistoryEvent> Events => _events;

    /// <summary>Starts the instance with <paramref name="input"/> at real instant <paramref name="at"/>; returns the first actions.</summary>
    public static (SyntheticHistory History, IReadOnlyList<OrchestratorAction> Actions) Start(CaseOrchestrationInput input, DateTime at)
    {
        var history = new SyntheticHistory();
        var started = new ExecutionStartedEvent(-1, WorkflowJson.Converter.Serialize(input))
        {
            Name = CaseOrchestration.Name,
            Version = "",
            OrchestrationInstance = new OrchestrationInstance { InstanceId = input.CaseId, ExecutionId = $"{input.CaseId}-g{input.Generation}" },
            Timestamp = at,
        };
        return (history, history.Deliver(at, started));
    }

    /// <summary>An episode at <paramref name="at"/> delivering <paramref name="delivered"/>; returns what the orchestrator asks for.</summary>
    public IReadOnlyList<OrchestratorAction> Deliver(DateTime at, params HistoryEvent[] delivered)
    {
        HistoryEvent[] inputs = [new OrchestratorStartedEvent(-1) { Timestamp = at }, .. delivered];
        var actions = Replayer.Run(_events, inputs);
        _events.AddRange(inputs);
        _events.AddRange(actions.Select(a => Recorded(a, at)));
        _events.Add(new OrchestratorCompletedEvent(-1) { Timestamp = at });
        return actions;
    }

    public IReadOnlyList<OrchestratorAction> FireTimer(CreateTimerOrchestratorAction timer, DateTime at) =>
        Deliver(at, new TimerFiredEvent(-1) { TimerId = timer.Id, FireAt = timer.FireAt, Timestamp = at });

    public IReadOnlyList<OrchestratorAction> Complete(ScheduleTaskOrchestratorAction task, CaseProgress result, DateTime at) =>
        Deliver(at, Completed(task, result, at));

    public static TaskCompletedEvent Completed(ScheduleTaskOrchestratorAction task, CaseProgress result, DateTime at) =>
        new(-1, task.Id, WorkflowJson.Converter.Serialize(result)) { Timestamp = at };

    public static EventRaisedEvent Raised(CaseStep step, DateTime at) =>
        new(-1, WorkflowJson.Converter.Serialize(step)) { Name = CaseOrchestration.StepEvent, Timestamp = at };

    /// <summary>The event the engine records for an action (activity inputs are not kept, as in both hosts).</summary>
    private static HistoryEvent Recorded(OrchestratorAction action, DateTime at) => action switch
    {
        ScheduleTaskOrchestratorAction a => new TaskScheduledEvent(a.Id, a.Name!, a.Version) { Timestamp = at },
        CreateTimerOrchestratorAction a => new TimerCreatedEvent(a.Id) { FireAt = a.FireAt, Timestamp = at },
        SendEventOrchestratorAction a => new EventSentEvent(a.Id) { InstanceId = a.Instance?.InstanceId, Name = a.EventName, Input = a.EventData, Timestamp = at },
        OrchestrationCompleteOrchestratorAction { OrchestrationStatus: OrchestrationStatus.ContinuedAsNew } a => new ContinueAsNewEvent(a.Id, a.Result) { Timestamp = at },
        OrchestrationCompleteOrchestratorAction a => new ExecutionCompletedEvent(a.Id, a.Result, a.OrchestrationStatus) { Timestamp = at },
        _ => throw new NotSupportedException(action.OrchestratorActionType.ToString()),
    };
}
