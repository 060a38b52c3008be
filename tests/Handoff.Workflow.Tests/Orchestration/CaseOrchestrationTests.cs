using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Workflow;
using Handoff.Testing;
using Handoff.Workflow.Tests.Support;
using Microsoft.DurableTask.Client;
using static Handoff.Testing.TestData;

namespace Handoff.Workflow.Tests.Orchestration;

/// <summary>
/// The real orchestration and activity on the SDK's in-process engine: real durable timers, workflow time compressed through the
/// input's clock (a legal day in a quarter of a second). Each scenario reads what a user would see — the case row, the inboxes — and
/// the orchestration's own status and output.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CaseOrchestrationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Workflow seconds per real second: four legal days a second.</summary>
    private const double Speed = 86400 * 4;

    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(250);
    private static readonly DateOnly ReleaseDate = new(2026, 3, 5);

    private readonly Stores _stores = new(azurite.ConnectionString);
    private InProcessEngine? _engine;

    private DurableTaskClient Client => _engine!.Client;

    public async Task InitializeAsync() => _engine = await InProcessEngine.StartAsync(_stores);

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [Fact]
    public async Task MissedReportDeadline_CaseIsLostContact_AndEscalatedToTheOfficePoliceAndAuthority()
    {
        var run = await ReleasedAsync(new CollectedBy(CollectorKind.Family, "张父"));
        var due = Deadline(await run.CaseAsync(), DeadlineStep.Report).DueAt;

        var lost = await run.UntilAsync(c => c.State == CaseState.LostContact, "lost contact after the report deadline");

        Assert.Equal(DeadlineStatus.Missed, Deadline(lost, DeadlineStep.Report).Status);
        var escalation = Escalation(lost, EscalationKind.NotReported);
        Assert.Equal(EscalationStatus.Open, escalation.Status);
        Assert.True(escalation.OpenedAt >= due, $"opened at {escalation.OpenedAt:O}, before the deadline ended at {due:O}");
        Assert.Equal([Office, Police, Authority], escalation.Recipients.Where(r => r.Level == 1).Select(r => r.OrganisationId));
        await InboxHoldsAsync(Police, n => n.CaseId == run.CaseId && n.EscalationId == escalation.Id, "the escalation notice");
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await run.InstanceAsync())!.RuntimeStatus);
    }

    [Fact]
    public async Task MissedReport_ClimbsCountyCityProvinceOneDayApart_ThenReportAndAgreementStartTheCommunityPeriod()
    {
        var run = await ReleasedAsync(new CollectedBy(CollectorKind.Family, "张父"));
        var due = Deadline(await run.CaseAsync(), DeadlineStep.Report).DueAt;

        var top = await run.UntilAsync(
            c => c.Escalations.Any(e => e.Kind == EscalationKind.NotReported && e.Level == 4 && e.NextClimbAt is null),
            "the not-reported escalation at the province, with no rung left");

        var escalation = Escalation(top, EscalationKind.NotReported);
        var supervisors = new[] { (CountySupervisor, 2), (CitySupervisor, 3), (ProvinceSupervisor, 4) };
        foreach (var (supervisor, level) in supervisors)
        {
            var told = Assert.Single(escalation.Recipients, r => r.OrganisationId == supervisor);
            Assert.Equal(level, told.Level);
            var climbAt = due + TimeSpan.FromDays(level - 1);
            Assert.True(told.NotifiedAt >= climbAt, $"{supervisor} told at {told.NotifiedAt:O}, before the climb was due at {climbAt:O}");
            await InboxHoldsAsync(supervisor,
                n => n.CaseId == run.CaseId && n.Kind == NoticeKind.Escalation && n.EscalationId == escalation.Id && n.Level == level, $"the level-{level} notice");
        }

        var reported = await run.SendAsync(new RecordReport(As(Office), run.Time.GetUtcNow()));
        Assert.Equal(CaseState.Reported, reported.State);
        Assert.Equal(EscalationStatus.Resolved, Escalation(reported, EscalationKind.NotReported).Status);
        Assert.Contains(await _stores.Inbox.ListAsync(ProvinceSupervisor, 100), n => n.CaseId == run.CaseId && n.Kind == NoticeKind.EscalationResolved);

        var signed = await run.SendAsync(new RecordAgreement(As(Office), run.Time.GetUtcNow()));
        Assert.Equal(CaseState.AgreementSigned, signed.State);
        // The agreement no longer ends the file: the 社区康复 period runs on, its contact deadline and expiry ahead, the orchestration with it.
        Assert.False(signed.IsClosed);
        Assert.Equal(Deadline(signed, DeadlineStep.Contact).DueAt, CaseWorkflow.NextDueAt(signed));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(run.CaseId))!.RuntimeStatus);
    }

    [Fact]
    public async Task Postponement_ReplansTheDeadlines_AndOnlyTheNewReleaseDateEscalates()
    {
        // A legal day a second: the postponement must reach the case well before the old release date ends, even on a loaded machine.
        var run = new CaseRun(_stores, Client, 86400, Grace);
        var registered = await run.RegisterAsync(ReleaseDate);
        await run.SendAsync(new AcknowledgeNotice(As(Office)));
        var oldReport = Deadline(registered, DeadlineStep.Report);
        var newDate = ReleaseDate.AddDays(2);

        var postponed = await run.SendAsync(new PostponeRelease(As(Centre), newDate, "所内诊断评估未完成"));

        Assert.Equal(newDate, postponed.ReleaseDate);
        var release = Deadline(postponed, DeadlineStep.Release);
        Assert.Equal(newDate, release.LastDay);
        Assert.True(Deadline(postponed, DeadlineStep.Report).LastDay > oldReport.LastDay, "the report period was not re-planned from the new date");

        // Nobody records the release: the new date's deadline, and only it, escalates.
        var missed = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.ReleaseNotRecorded), "release-not-recorded");
        var escalation = Assert.Single(missed.Escalations, e => e.Kind == EscalationKind.ReleaseNotRecorded);
        Assert.True(escalation.OpenedAt >= release.DueAt, $"escalated at {escalation.OpenedAt:O}, before the new release date ended ({release.DueAt:O})");
        // Its first level is the centre's (at a legal day a second it may have climbed to the city before this read: a day is its interval).
        Assert.Equal([Centre], escalation.Recipients.Where(r => r.Level == 1).Select(r => r.OrganisationId));
        Assert.Equal(DeadlineStatus.Missed, Deadline(missed, DeadlineStep.Release).Status);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await run.InstanceAsync())!.RuntimeStatus);
    }

    [Fact]
    public async Task Cancellation_ClosesTheCase_AndTheOrchestrationCompletes()
    {
        var run = new CaseRun(_stores, Client, Speed, Grace);
        await run.RegisterAsync(ReleaseDate);

        var cancelled = await run.SendAsync(new CancelRelease(As(Centre), "决定撤销"));

        Assert.Equal(CaseState.Cancelled, cancelled.State);
        Assert.DoesNotContain(cancelled.Deadlines, d => d.Status == DeadlineStatus.Open);
        Assert.All(new[] { DeadlineStep.Release, DeadlineStep.Report, DeadlineStep.Agreement }, step => Assert.Equal(DeadlineStatus.Withdrawn, Deadline(cancelled, step).Status));
        Assert.All(cancelled.Escalations, e => Assert.Equal(EscalationStatus.Resolved, e.Status));
        var completed = await run.CompletionAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        var version = (await _stores.Store.LoadAsync(run.CaseId)).Record!.Version;
        Assert.Equal(new CaseProgress(version, CaseState.Cancelled, null, Closed: true), completed.ReadOutputAs<CaseProgress>()! with { Applied = null });
        Assert.Null(await _stores.Persons.HolderAsync(run.Registration!.Person.IdNumberLookup));
    }

    [Fact]
    public async Task NotCollectedAtTheGate_EscalatesAtOnceAndClimbs_UntilThePoliceFindThePerson()
    {
        var run = await ReleasedAsync(new CollectedBy(CollectorKind.None, null));
        var opened = Escalation(await run.CaseAsync(), EscalationKind.NotCollected);
        Assert.Equal(EscalationStatus.Open, opened.Status);

        var climbed = await run.UntilAsync(c => Escalation(c, EscalationKind.NotCollected).Level >= 2, "not-collected at the county");
        Assert.Contains(Escalation(climbed, EscalationKind.NotCollected).Recipients, r => r.OrganisationId == CountySupervisor && r.Level == 2);

        var found = await run.SendAsync(new RecordPersonFound(As(Police), run.Time.GetUtcNow(), "在家中找到"));

        Assert.Equal(EscalationStatus.Resolved, Escalation(found, EscalationKind.NotCollected).Status);
        Assert.NotNull(found.FoundAt);
        Assert.Equal(CaseState.Released, found.State);
        Assert.Equal(DeadlineStatus.Open, Deadline(found, DeadlineStep.Report).Status);
        Assert.Contains(await _stores.Inbox.ListAsync(Police, 100), n => n.CaseId == run.CaseId && n.Kind == NoticeKind.EscalationResolved);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await run.InstanceAsync())!.RuntimeStatus);
    }

    [Fact]
    public async Task Report_ReceivedJustBeforeTheDeadline_RaisedAfterTheDeadlinesTimerTime_IsOnTime()
    {
        // The grace is what lets a step the API received in time, but that reaches the orchestration after the deadline, be applied
        // first. A generous one here, so that a loaded machine still raises the step inside it.
        var grace = TimeSpan.FromSeconds(5);
        var run = await ReleasedAsync(new CollectedBy(CollectorKind.Family, "张父"), grace);
        var due = Deadline(await run.CaseAsync(), DeadlineStep.Report).DueAt;

        await run.PassAsync(due, TimeSpan.FromMilliseconds(100));
        var receivedAt = due.AddMinutes(-1);
        await run.RaiseAsync(new CaseStep("late-delivery", new RecordReport(As(Office), receivedAt), receivedAt));
        var raisedAt = TimeProvider.System.GetUtcNow();
        Assert.True(run.Time.GetUtcNow() > due, "the step was raised before the deadline ended: the test proves nothing");
        Assert.True(raisedAt < run.Clock.ToReal(due) + grace, "the machine was too slow to raise the step inside the grace: the test proves nothing");

        var reported = await run.AppliedAsync("late-delivery");
        Assert.Equal(CaseState.Reported, reported.State);
        Assert.Equal(DeadlineStatus.Met, Deadline(reported, DeadlineStep.Report).Status);

        // Let the cancelled report timer come and go: the next thing due, the agreement, escalates; the report never did.
        var later = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.NoAgreement), "the agreement deadline escalated");
        Assert.DoesNotContain(later.Escalations, e => e.Kind == EscalationKind.NotReported);
        Assert.Equal(DeadlineStatus.Met, Deadline(later, DeadlineStep.Report).Status);
        Assert.Equal(receivedAt, Deadline(later, DeadlineStep.Report).CompletedAt);
    }

    [Fact]
    public async Task Report_ReceivedBeforeTheDeadline_AppliedAfterItsTick_IsOnTime_AndTheEscalationIsWithdrawnSayingSo()
    {
        // The API received the report at 23:59:59 but the step reached the case only after the deadline's tick had opened the
        // escalation (storage was slow to take it, or its event waited for another process's poller): it is still on time.
        var run = await ReleasedAsync(new CollectedBy(CollectorKind.Family, "张父"));
        var due = Deadline(await run.CaseAsync(), DeadlineStep.Report).DueAt;
        await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.NotReported), "the deadline's tick opened the escalation");
        var receivedAt = due.AddSeconds(-1);

        var reported = await run.SendAsync(new RecordReport(As(Office), receivedAt), receivedAt);

        Assert.Equal(CaseState.Reported, reported.State);
        Assert.Equal(DeadlineStatus.Met, Deadline(reported, DeadlineStep.Report).Status);
        var escalation = Escalation(reported, EscalationKind.NotReported);
        Assert.Equal(EscalationStatus.Resolved, escalation.Status);
        await InboxHoldsAsync(Police, n => n.CaseId == run.CaseId && n.Kind == NoticeKind.EscalationResolved && n.Title.Contains("撤回", StringComparison.Ordinal),
            "a notice that the escalation is withdrawn, the report having been on time");
    }

    [Fact]
    public async Task Report_InTheInboxBeforeTheDeadline_ItsSignalStillOnItsWay_IsAppliedBeforeTheTick_AndNoEscalationGoesOut()
    {
        // The API wrote the report received at 23:59:59 into the inbox; its signal is slow (another process's poller). The deadline's tick
        // applies what waits, in the order received: the report first — so nothing is escalated, and nobody gets a notice to withdraw.
        var run = await ReleasedAsync(new CollectedBy(CollectorKind.Family, "张父"));
        var due = Deadline(await run.CaseAsync(), DeadlineStep.Report).DueAt;
        var receivedAt = due.AddSeconds(-1);
        var commandId = await run.AcceptAsync(new RecordReport(As(Office), receivedAt), receivedAt);

        var reported = await run.AppliedAsync(commandId);

        Assert.True(run.Time.GetUtcNow() > due, "applied before the deadline's tick: the test proves nothing");
        Assert.Equal(CaseState.Reported, reported.State);
        Assert.Equal(DeadlineStatus.Met, Deadline(reported, DeadlineStep.Report).Status);
        Assert.DoesNotContain(reported.Escalations, e => e.Kind == EscalationKind.NotReported);
        await run.RaiseAsync(new CaseStep(commandId, new RecordReport(As(Office), receivedAt), receivedAt)); // the slow signal, at last
        var later = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.NoAgreement), "the agreement deadline escalated");
        Assert.DoesNotContain(later.Escalations, e => e.Kind == EscalationKind.NotReported);
        Assert.DoesNotContain(await _stores.Inbox.ListAsync(Police, 200), n => n.CaseId == run.CaseId && n.EscalationKind == EscalationKind.NotReported);
    }

    /// <summary>A case registered 3 days ahead, acknowledged and released at once (the 15-day report period starts).</summary>
    private async Task<CaseRun> ReleasedAsync(CollectedBy collectedBy, TimeSpan? grace = null)
    {
        var run = new CaseRun(_stores, Client, Speed, grace ?? Grace);
        await run.RegisterAsync(ReleaseDate);
        await run.SendAsync(new AcknowledgeNotice(As(Office)));
        var released = await run.SendAsync(new RecordRelease(As(Centre), run.Time.GetUtcNow(), collectedBy));
        Assert.Equal(CaseState.Released, released.State);
        return run;
    }

    private Task<IReadOnlyList<Notice>> InboxHoldsAsync(string organisationId, Func<Notice, bool> notice, string what) =>
        Eventually.HoldsAsync(() => _stores.Inbox.ListAsync(organisationId, 100), inbox => inbox.Any(notice), $"{what} in {organisationId}'s inbox");

    private static Deadline Deadline(Case c, DeadlineStep step) =>
        c.DeadlineFor(step) ?? throw new InvalidOperationException($"No {step} deadline.");

    private static Escalation Escalation(Case c, EscalationKind kind) => Assert.Single(c.Escalations, e => e.Kind == kind);
}
