using System.Text.Json.Nodes;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Handoff.Api.Hosting;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace Handoff.Workflow.Tests.Replay;

/// <summary>
/// Runs the current build's <see cref="CaseOrchestration"/> over a history through DurableTask.Core's own executor and the SDK's
/// shims — what the self-host's engine does with every work item, and what Durable Functions does under the hood — without a
/// backend: the past events are replayed, the new ones are processed, and the actions the orchestrator asks for come back.
/// </summary>
public static class Replayer
{
    /// <summary>The shims exactly as the self-host builds them (<c>DurableEngine</c>): our converter, the hosts' timer splitting.</summary>
    private static readonly DurableTaskShimFactory Shims = new(new DurableTaskWorkerOptions
    {
        DataConverter = WorkflowJson.Converter,
        MaximumTimerInterval = new DurableSettings().MaximumTimerInterval,
    });

    public static TaskOrchestration NewOrchestration() =>
        Shims.CreateOrchestration<CaseOrchestrationInput, CaseProgress>(CaseOrchestration.Name, (context, input) => CaseOrchestration.RunAsync(context, input!)!);

    /// <summary>Replays <paramref name="past"/> and processes <paramref name="newEvents"/>; returns the actions decided.</summary>
    public static IReadOnlyList<OrchestratorAction> Run(IEnumerable<HistoryEvent> past, IEnumerable<HistoryEvent>? newEvents = null)
    {
        var state = new OrchestrationRuntimeState(HistoryJson.Copy(past));
        foreach (var e in HistoryJson.Copy(newEvents ?? []))
        {
            state.AddEvent(e);
        }

        var executor = new TaskOrchestrationExecutor(state, NewOrchestration(), BehaviorOnContinueAsNew.Carryover, entityParameters: null);
        return [.. executor.Execute().Actions.OrderBy(a => a is OrchestrationCompleteOrchestratorAction ? 1 : 0).ThenBy(a => a.Id)];
    }

    /// <summary>The failure the executor reports (a non-deterministic replay, or the orchestrator throwing), if any.</summary>
    public static string? Failure(IEnumerable<OrchestratorAction> actions) =>
        actions.OfType<OrchestrationCompleteOrchestratorAction>().FirstOrDefault(a => a.OrchestrationStatus == OrchestrationStatus.Failed) is { } failed
            ? $"{failed.FailureDetails?.ErrorType}: {failed.FailureDetails?.ErrorMessage ?? failed.Details ?? failed.Result}"
            : null;

    /// <summary>
    /// A history cut into the engine's episodes: each starts with <c>OrchestratorStarted</c>; what the engine delivered in it (the
    /// start, activity results, timers, events) are its inputs, and the events it recorded for the orchestrator's actions are its
    /// decisions.
    /// </summary>
    public static IReadOnlyList<Episode> Episodes(IReadOnlyList<HistoryEvent> events)
    {
        var episodes = new List<Episode>();
        for (var i = 0; i < events.Count;)
        {
            if (events[i].EventType != EventType.OrchestratorStarted)
            {
                throw new InvalidOperationException($"Event {i} ({events[i].EventType}) is outside an episode.");
            }

            var end = i + 1;
            while (end < events.Count && events[end].EventType != EventType.OrchestratorStarted)
            {
                end++;
            }

            var body = events.Skip(i + 1).Take(end - i - 1).Where(e => e.EventType != EventType.OrchestratorCompleted).ToList();
            episodes.Add(new Episode(episodes.Count, [.. events.Take(i)], [events[i], .. body.Where(e => !IsDecision(e))], [.. body.Where(IsDecision)]));
            i = end;
        }

        return episodes;
    }

    /// <summary>A readable, comparable line for an action the orchestrator asks for.</summary>
    public static string Describe(OrchestratorAction action, bool withInput = true) => action switch
    {
        ScheduleTaskOrchestratorAction a => $"schedule #{a.Id} {a.Name}" + (withInput ? $" {Canonical(a.Input)}" : ""),
        CreateTimerOrchestratorAction a => $"timer #{a.Id} {Utc(a.FireAt):O}",
        SendEventOrchestratorAction a => $"send #{a.Id} {a.Instance?.InstanceId} {a.EventName} {Canonical(a.EventData)}",
        OrchestrationCompleteOrchestratorAction a => $"complete {a.OrchestrationStatus} {Canonical(a.Result)}"
            + (a.FailureDetails is { } f ? $" {f.ErrorType}: {f.ErrorMessage}" : ""),
        _ => $"{action.OrchestratorActionType} #{action.Id}",
    };

    /// <summary>The same line for the event the engine recorded for such an action.</summary>
    public static string Describe(HistoryEvent recorded) => recorded switch
    {
        TaskScheduledEvent e => $"schedule #{e.EventId} {e.Name}" + (HasInput(e) ? $" {Canonical(e.Input)}" : ""),
        TimerCreatedEvent e => $"timer #{e.EventId} {Utc(e.FireAt):O}",
        EventSentEvent e => $"send #{e.EventId} {e.InstanceId} {e.Name} {Canonical(e.Input)}",
        ExecutionCompletedEvent e => $"complete {e.OrchestrationStatus} {Canonical(e.Result)}"
            + (e.FailureDetails is { } f ? $" {f.ErrorType}: {f.ErrorMessage}" : ""),
        _ => $"{recorded.EventType} #{recorded.EventId}",
    };

    /// <summary>Whether the engine kept the payload of a recorded action (activity inputs only with IncludeParameters).</summary>
    public static bool HasInput(HistoryEvent recorded) => recorded is not TaskScheduledEvent { Input: null };

    private static bool IsDecision(HistoryEvent e) => e.EventType is EventType.TaskScheduled or EventType.TimerCreated or EventType.EventSent
        or EventType.ExecutionCompleted or EventType.ContinueAsNew or EventType.SubOrchestrationInstanceCreated;

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime();

    /// <summary>JSON payloads compared as JSON (the order of members is kept: it is part of the wire format).</summary>
    private static string Canonical(string? payload)
    {
        if (payload is null)
        {
            return "null";
        }

        try
        {
            return JsonNode.Parse(payload)?.ToJsonString() ?? "null";
        }
        catch (System.Text.Json.JsonException)
        {
            return payload;
        }
    }
}

/// <param name="Before">Every event before this episode: what the engine replays.</param>
/// <param name="Inputs">OrchestratorStarted and what the engine delivered in this episode.</param>
/// <param name="Decisions">What the engine recorded of the orchestrator's actions in this episode.</param>
public sealed record Episode(int Index, IReadOnlyList<HistoryEvent> Before, IReadOnlyList<HistoryEvent> Inputs, IReadOnlyList<HistoryEvent> Decisions);
