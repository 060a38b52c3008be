using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Handoff.Core.Cases;
using static Handoff.Testing.TestData;

namespace Handoff.Workflow.Tests.Replay;

/// <summary>
/// A case started by one build completes under the next: histories recorded on the engine by earlier releases (committed under
/// <c>Histories/v{schema}/</c>, never rewritten) replay through DurableTask.Core's executor with the current orchestration — every
/// recorded episode decides again exactly what the recording build decided, and from where each history stops the current build
/// takes the next step the case needs.
/// </summary>
public sealed class RecordedHistoryTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Histories");

    public static TheoryData<string> Files() => [.. FileNames()];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Files_FromEachEarlierSchema_AreAllThere(int schema)
    {
        Assert.Equal(
            [$"v{schema}/continued-as-new.json", $"v{schema}/lost-contact-at-the-province.json", $"v{schema}/released-waiting-for-report.json"],
            FileNames().Where(f => f.StartsWith($"v{schema}/", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Replay_EveryRecordedEpisode_DecidesWhatTheRecordingBuildDecided(string file) => ReplayAssert.ReplaysAsRecorded(Load(file));

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void ReleasedWaitingForReport_TheTimerFires_TheCurrentBuildAppliesTheDeadlinesTick(string schema)
    {
        var history = Load($"{schema}/released-waiting-for-report.json");
        var input = Input(history);
        var timer = history.Events.OfType<TimerCreatedEvent>().Last();
        var firedAt = timer.FireAt.AddMilliseconds(40);

        var actions = Replayer.Run(history.Events, Fire(timer, firedAt));

        var request = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(ApplyStepActivity.Name, request.Name);
        var step = Request(request).Step;
        Assert.IsType<Tick>(step.Command);
        Assert.Equal(input.Clock.ToWorkflow(new DateTimeOffset(firedAt, TimeSpan.Zero) - input.Grace), step.ReceivedAt);
        Assert.StartsWith("t", step.CommandId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void ReleasedWaitingForReport_TheReportArrives_TheCurrentBuildAppliesIt(string schema)
    {
        var history = Load($"{schema}/released-waiting-for-report.json");
        var report = new CaseStep("report-1", new RecordReport(As(Office), WorkflowNowAtTheEnd(history)), WorkflowNowAtTheEnd(history));

        var actions = Replayer.Run(history.Events, Raise(report, history.Events[^1].Timestamp.AddSeconds(1)));

        var request = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(new ApplyStepRequest(Input(history).CaseId, report), Request(request));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void LostContactAtTheProvince_NothingFallsDue_TheCurrentBuildWaitsForAStepAndAppliesTheReport(string schema)
    {
        var history = Load($"{schema}/lost-contact-at-the-province.json");
        var lastProgress = Progress(history.Events.OfType<TaskCompletedEvent>().Last());
        Assert.Equal(CaseState.LostContact, lastProgress.State);
        Assert.Null(lastProgress.NextDueAt);
        Assert.Empty(Replayer.Run(history.Events));

        var report = new CaseStep("report-1", new RecordReport(As(Office), WorkflowNowAtTheEnd(history)), WorkflowNowAtTheEnd(history));
        var actions = Replayer.Run(history.Events, Raise(report, history.Events[^1].Timestamp.AddSeconds(1)));

        var request = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.Equal(new ApplyStepRequest(Input(history).CaseId, report), Request(request));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void ContinuedAsNew_TheNewGenerationResumesFromItsProgress_AndTheCurrentBuildTicksWhenItsTimerFires(string schema)
    {
        var history = Load($"{schema}/continued-as-new.json");
        var input = Input(history);
        Assert.Equal(1, input.Generation);
        Assert.Null(input.Registration);
        Assert.Equal(CaseState.Acknowledged, input.Progress!.State);
        Assert.NotEmpty(history.Events.OfType<EventRaisedEvent>());
        var timer = history.Events.OfType<TimerCreatedEvent>().Last();

        var actions = Replayer.Run(history.Events, Fire(timer, timer.FireAt.AddMilliseconds(40)));

        var request = Assert.IsType<ScheduleTaskOrchestratorAction>(Assert.Single(actions));
        Assert.IsType<Tick>(Request(request).Step.Command);
    }

    private static IEnumerable<string> FileNames() =>
        Directory.GetFiles(Folder, "*.json", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);

    private static RecordedHistory Load(string file) => HistoryJson.Read(File.ReadAllText(Path.Combine(Folder, file)));

    private static CaseOrchestrationInput Input(RecordedHistory history) =>
        WorkflowJson.Converter.Deserialize<CaseOrchestrationInput>(history.Events.OfType<ExecutionStartedEvent>().Single().Input)!;

    /// <summary>The schema-3 activity's input (DurableTask.Core passes activity inputs as an array of parameters).</summary>
    public static ApplyPendingRequest Pending(ScheduleTaskOrchestratorAction action) =>
        Assert.Single(WorkflowJson.Converter.Deserialize<ApplyPendingRequest[]>(action.Input)!);

    /// <summary>The activity's input: DurableTask.Core passes activity inputs as an array of parameters.</summary>
    public static ApplyStepRequest Request(ScheduleTaskOrchestratorAction action) =>
        Assert.Single(WorkflowJson.Converter.Deserialize<ApplyStepRequest[]>(action.Input)!);

    private static CaseProgress Progress(TaskCompletedEvent completed) => WorkflowJson.Converter.Deserialize<CaseProgress>(completed.Result)!;

    /// <summary>The recorded case's workflow time when its history stops (its clock at the last event).</summary>
    private static DateTimeOffset WorkflowNowAtTheEnd(RecordedHistory history)
    {
        var input = Input(history);
        return input.Clock.ToWorkflow(new DateTimeOffset(history.Events[^1].Timestamp, TimeSpan.Zero));
    }

    private static HistoryEvent[] Fire(TimerCreatedEvent timer, DateTime at) =>
    [
        new OrchestratorStartedEvent(-1) { Timestamp = at },
        new TimerFiredEvent(-1) { TimerId = timer.EventId, FireAt = timer.FireAt, Timestamp = at },
    ];

    private static HistoryEvent[] Raise(CaseStep step, DateTime at) =>
    [
        new OrchestratorStartedEvent(-1) { Timestamp = at },
        new EventRaisedEvent(-1, WorkflowJson.Converter.Serialize(step)) { Name = CaseOrchestration.StepEvent, Timestamp = at },
    ];
}
