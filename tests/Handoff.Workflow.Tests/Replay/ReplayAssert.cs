using DurableTask.Core.History;

namespace Handoff.Workflow.Tests.Replay;

public static class ReplayAssert
{
    /// <summary>
    /// Every episode of <paramref name="history"/>, replayed from the events before it, asks for exactly the actions the engine
    /// recorded in it (same activities, same timers, same events sent, same completion), with no
    /// non-determinism failure; and replayed whole, it asks for nothing the history does not already hold. An activity's input is
    /// compared where the history holds it: DurableTask.Core keeps it out of the history unless told to (IncludeParameters,
    /// Durable Functions' storeInputsInOrchestrationHistory), and neither host tells it — the tests of the next step check inputs.
    /// </summary>
    public static void ReplaysAsRecorded(RecordedHistory history)
    {
        Assert.Equal(EventType.OrchestratorCompleted, history.Events[^1].EventType);
        foreach (var episode in Replayer.Episodes(history.Events))
        {
            var actions = Replayer.Run(episode.Before, episode.Inputs);
            Assert.True(Replayer.Failure(actions) is null, $"{history.Name}, episode {episode.Index}: {Replayer.Failure(actions)}");
            var recorded = episode.Decisions.Select(Replayer.Describe).ToList();
            var decided = new List<string>();
            for (var i = 0; i < actions.Count; i++)
            {
                decided.Add(Replayer.Describe(actions[i], withInput: i >= episode.Decisions.Count || Replayer.HasInput(episode.Decisions[i])));
            }

            Assert.True(recorded.SequenceEqual(decided),
                $"{history.Name}, episode {episode.Index} (at {episode.Inputs[0].Timestamp:O}):\nrecorded:\n  {string.Join("\n  ", recorded)}\n"
                + $"the current build decides:\n  {string.Join("\n  ", decided)}");
        }

        if (history.Events.All(e => e is not ExecutionCompletedEvent))
        {
            var left = Replayer.Run(history.Events);
            Assert.True(left.Count == 0, $"{history.Name}: replayed whole, it still asks for {string.Join("; ", left.Select(a => Replayer.Describe(a)))}");
        }
    }
}
