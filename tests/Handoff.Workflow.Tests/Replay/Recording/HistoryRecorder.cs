using DurableTask.Core.History;
using Handoff.Core.Cases;
using Handoff.Core.Workflow;
using Handoff.Development;
using Handoff.Testing;
using Handoff.Workflow.Tests.Support;
using static Handoff.Testing.TestData;

namespace Handoff.Workflow.Tests.Replay.Recording;

/// <summary>
/// Records case histories on the real engine (<see cref="SelfHostedEngine"/>) at points worth replaying under later builds. A tool,
/// not a check: <see cref="HistoryRecorderTests"/> runs it, and with <c>HANDOFF_RECORD_HISTORIES=1</c> writes the files into
/// <c>Histories/v{schema}/</c> in the source tree — done once per release, whose files then stay as they are.
/// </summary>
public sealed class HistoryRecorder(SelfHostedEngine engine, Stores stores)
{
    public const string RecordSetting = "HANDOFF_RECORD_HISTORIES";

    public static readonly string RecordedWith =
        $"Handoff schema {CaseOrchestration.SchemaVersion}; self-host engine: DurableTask.Core {Version(typeof(HistoryEvent))}, "
        + $"DurableTask.AzureStorage {Version(typeof(DurableTask.AzureStorage.AzureStorageOrchestrationService))}, "
        + $"Microsoft.DurableTask.Worker {Version(typeof(Microsoft.DurableTask.Worker.Shims.DurableTaskShimFactory))} shims";

    private static readonly DateOnly ReleaseDate = new(2026, 3, 5);

    /// <summary>Where the files go when recording is asked for; null otherwise.</summary>
    public static string? TargetFolder() =>
        Environment.GetEnvironmentVariable(RecordSetting) is "1" or "true"
            ? Path.Combine(AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!, "tests", "Handoff.Workflow.Tests", "Histories", $"v{CaseOrchestration.SchemaVersion}")
            : null;

    /// <summary>Released, the family collecting: the orchestration waits on the report deadline's timer.</summary>
    public async Task<Recording> ReleasedWaitingForReportAsync()
    {
        var run = new CaseRun(stores, engine.Client, speed: 86400, grace: TimeSpan.FromSeconds(1));
        await ReleaseAsync(run, new CollectedBy(CollectorKind.Family, "张父"));
        return await QuiescentAsync(run, "released-waiting-for-report",
            "Registered 3 days ahead, acknowledged, released to the family: waiting on the 15-day report deadline's timer.",
            (c, _) => c.State == CaseState.Released,
            c => c.Escalations.Count == 0);
    }

    /// <summary>Released, nobody reported: lost contact, climbed to the province; nothing more falls due, it waits for a step.</summary>
    public async Task<Recording> LostContactAtTheProvinceAsync()
    {
        var run = new CaseRun(stores, engine.Client, speed: 86400 * 2, grace: TimeSpan.FromMilliseconds(500));
        await ReleaseAsync(run, new CollectedBy(CollectorKind.Family, "张父"));
        return await QuiescentAsync(run, "lost-contact-at-the-province",
            "Released, no report: the report deadline was missed (lost contact) and the escalation climbed county, city, province; "
            + "nothing more falls due, the orchestration waits only for a step.",
            (c, _) => c.Escalations.Any(e => e.Kind == EscalationKind.NotReported && e.Level == 4) && CaseWorkflow.NextDueAt(c) is null,
            c => c.Escalations.All(e => e.Kind == EscalationKind.NotReported));
    }

    /// <summary>
    /// Acknowledged, then repeated acknowledgements sent one after another (each its own step): the 24-step generation ends with
    /// <c>ContinueAsNew</c>; the next generation applies what waits in the inbox and waits on the release deadline's timer.
    /// </summary>
    public async Task<Recording> ContinuedAsNewAsync()
    {
        const int repeats = 26;
        var run = new CaseRun(stores, engine.Client, speed: 8640, grace: TimeSpan.FromSeconds(1));
        await run.RegisterAsync(ReleaseDate);
        await run.SendAsync(new AcknowledgeNotice(As(Office)));
        for (var i = 1; i <= repeats; i++)
        {
            await run.SendAsync(new AcknowledgeNotice(As(Office)));
        }

        return await QuiescentAsync(run, "continued-as-new",
            $"Registered, acknowledged, then {repeats} repeated acknowledgements sent one after another: after {CaseOrchestration.StepsPerGeneration} "
            + "steps the orchestration continued as new; this is the new generation, which applied the inbox and waits on the release "
            + "deadline's timer.",
            (_, events) => events.OfType<ExecutionStartedEvent>().Single().Input.Contains("\"generation\":1", StringComparison.Ordinal),
            c => c.Escalations.Count == 0);
    }

    private static async Task ReleaseAsync(CaseRun run, CollectedBy collectedBy)
    {
        await run.RegisterAsync(ReleaseDate);
        await run.SendAsync(new AcknowledgeNotice(As(Office)));
        await run.SendAsync(new RecordRelease(As(Centre), run.Time.GetUtcNow(), collectedBy));
    }

    /// <summary>
    /// Waits until the case and its history satisfy <paramref name="point"/> with nothing in flight, and takes the history.
    /// <paramref name="asDescribed"/> says whether the case went as the description says (on a loaded machine the fast clock can run
    /// past a deadline between two steps): files are written only from recordings that did.
    /// </summary>
    private async Task<Recording> QuiescentAsync(
        CaseRun run, string name, string description, Func<Case, IReadOnlyList<HistoryEvent>, bool> point, Func<Case, bool> asDescribed)
    {
        var (c, events) = await Eventually.HoldsAsync(
            async () => new Snapshot(await run.CaseAsync(), await engine.HistoryAsync(run.CaseId)),
            x => x.Events.Count > 0 && x.Events[^1].EventType == EventType.OrchestratorCompleted && !ActivityInFlight(x.Events)
                && point(x.Case, x.Events) && WaitsOnTheTimerOfWhatIsDue(run, x.Case, x.Events),
            $"{name}: the recorded point with nothing in flight");
        return new Recording(new RecordedHistory(name, description, RecordedWith, events), asDescribed(c));
    }

    private static bool ActivityInFlight(IReadOnlyList<HistoryEvent> events)
    {
        var done = events.OfType<TaskCompletedEvent>().Select(e => e.TaskScheduledId).Concat(events.OfType<TaskFailedEvent>().Select(e => e.TaskScheduledId)).ToHashSet();
        return events.OfType<TaskScheduledEvent>().Any(e => !done.Contains(e.EventId));
    }

    /// <summary>
    /// The orchestration waits, not works: a timer for what the case has due next is armed and has not fired (re-armed a second later
    /// if it fired early), or nothing is due and it waits only for a step. (A cancelled timer may still fire after that point.)
    /// </summary>
    private static bool WaitsOnTheTimerOfWhatIsDue(CaseRun run, Case c, IReadOnlyList<HistoryEvent> events)
    {
        if (CaseWorkflow.NextDueAt(c) is not { } due)
        {
            return true;
        }

        var tickAt = (run.Clock.ToReal(due) + run.Time.Grace).UtcDateTime;
        var fired = events.OfType<TimerFiredEvent>().Select(e => e.TimerId).ToHashSet();
        return events.OfType<TimerCreatedEvent>().Any(t => !fired.Contains(t.EventId) && (t.FireAt == tickAt || t.FireAt == tickAt.AddSeconds(1)));
    }

    private static string Version(Type type) =>
        type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "?";
}

/// <summary>What the recorder polls; printed as the case's state and the history's outline when the point is not reached.</summary>
internal sealed record Snapshot(Case Case, IReadOnlyList<HistoryEvent> Events)
{
    public override string ToString() =>
        $"{Case.CaseId} {Case.State}, escalations [{string.Join(", ", Case.Escalations.Select(e => $"{e.Kind} L{e.Level}"))}]\n  "
        + string.Join("\n  ", Events.Select(e => e switch
        {
            TaskCompletedEvent t => $"TaskCompleted {t.Result}",
            TimerCreatedEvent t => $"TimerCreated #{t.EventId} {t.FireAt:O}",
            TimerFiredEvent t => $"TimerFired #{t.TimerId} at {t.Timestamp:O}",
            _ => $"{e.EventType} #{e.EventId} {e.Timestamp:O}",
        }));
}

/// <param name="AsDescribed">The case went as the history's description says.</param>
public sealed record Recording(RecordedHistory History, bool AsDescribed);
