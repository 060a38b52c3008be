using Handoff.Core.Cases;
using Handoff.Core.Execution;
using Handoff.Core.Workflow;
using Handoff.Testing;
using Handoff.Workflow.Tests.Support;
using Microsoft.DurableTask.Client;
using static Handoff.Testing.TestData;

namespace Handoff.Workflow.Tests.Orchestration;

/// <summary>
/// The community period on the SDK's in-process engine, with real durable timers and workflow time compressed (four legal days a second):
/// each of its deadlines — the report of a 社区戒毒 order, the office's report to the police, the report after a change of place, the
/// 31st day away, the expiry and its 解除 notice — fires at or after its instant, never before, and a suspension holds them. Files are
/// opened with dates in the past, as an organ entering an order after the fact would, so that a deadline falls a legal day or two ahead.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CommunityOrchestrationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const double Speed = 86400 * 4;

    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(250);

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
    public async Task OrderNotReported_IsARefusal_AtItsInstantNotBefore_AndTheOfficesReportToThePoliceIsADeadlineOfItsOwn()
    {
        // A legal day a second. Served 14 days before today: the 15th day ends at 24:00 tomorrow (or later, over a holiday).
        var run = new CaseRun(_stores, Client, 86400, Grace);
        var served = Today(run).AddDays(-14);
        var ordered = await run.OpenAsync(Order(served, Core.Time.ChinaTime.StartOfDay(served).AddHours(10)));
        Assert.Equal(CaseState.Ordered, ordered.State);
        var due = Deadline(ordered, DeadlineStep.Report).DueAt;
        Assert.True(due >= Core.Time.ChinaTime.EndOfDay(served.AddDays(15)));

        var refused = await run.UntilAsync(c => c.State == CaseState.LostContact, "the order's report period passed");
        var escalation = Assert.Single(refused.Escalations, e => e.Kind == EscalationKind.NotReported);
        Assert.True(escalation.OpenedAt >= due, $"opened at {escalation.OpenedAt:O}, before the period ended at {due:O}");
        Assert.Equal(new[] { Office, Police, Authority }.Order(), escalation.Recipients.Where(r => r.Level == 1).Select(r => r.OrganisationId).Order());
        Assert.Equal([ViolationGround.Refusal], refused.Community!.Grounds);

        var dutyDue = Deadline(refused, DeadlineStep.ViolationReport).DueAt;
        var late = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.ViolationNotReported), "the report to the police escalated");
        Assert.True(Assert.Single(late.Escalations, e => e.Kind == EscalationKind.ViolationNotReported).OpenedAt >= dutyDue);

        var reported = await run.SendAsync(new ReportViolation(As(Office), run.Time.GetUtcNow()));
        Assert.Equal(EscalationStatus.Resolved, Assert.Single(reported.Escalations, e => e.Kind == EscalationKind.ViolationNotReported).Status);
        var came = await run.SendAsync(new RecordReport(As(Office), run.Time.GetUtcNow()));
        Assert.Equal(CaseState.Reported, came.State);
        Assert.Equal(DeadlineStatus.Missed, Deadline(came, DeadlineStep.Report).Status);
        // Reported to the police already: the refusal stays on the file.
        Assert.Equal([ViolationGround.Refusal], came.Community!.Grounds);
    }

    [Fact]
    public async Task ChangeOfPlace_PersonNeverArrives_BothOfficesAreToldAtTheInstant()
    {
        var run = new CaseRun(_stores, Client, 86400, Grace);
        await UnderWayAsync(run);
        // Sent 14 days before today: the person has until 24:00 tomorrow (or later, over a holiday) to report at the new office.
        var sentOn = Today(run).AddDays(-14);
        var sent = await run.SendAsync(new SendPlaceChange(As(Office), OtherOffice, OtherPolice, sentOn, Core.Time.ChinaTime.StartOfDay(sentOn).AddHours(9)));
        var due = Deadline(sent, DeadlineStep.MoveReport).DueAt;
        Assert.True(due > run.Time.GetUtcNow());

        var lost = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.NotReported && e.Status == EscalationStatus.Open), "the report after the move escalated");
        var escalation = Assert.Single(lost.Escalations, e => e.Kind == EscalationKind.NotReported && e.Status == EscalationStatus.Open);
        Assert.True(escalation.OpenedAt >= due, $"opened at {escalation.OpenedAt:O}, before {due:O}");
        Assert.Contains(escalation.Recipients, r => r.OrganisationId == Office);
        Assert.Contains(escalation.Recipients, r => r.OrganisationId == OtherOffice);
        // Never acknowledged: the sending office still answers for the person.
        Assert.Equal(Office, lost.OfficeId);

        var arrived = await run.SendAsync(new RecordReport(As(OtherOffice), run.Time.GetUtcNow()));
        Assert.Equal(OtherOffice, arrived.OfficeId);
        Assert.All(arrived.Escalations.Where(e => e.Kind is EscalationKind.NotReported or EscalationKind.MoveNotAcknowledged),
            e => Assert.Equal(EscalationStatus.Resolved, e.Status));
    }

    [Fact]
    public async Task AwayWithoutLeave_The31stDayIsReachedOnItsOwn_NotBefore()
    {
        var run = new CaseRun(_stores, Client, 86400, Grace);
        await UnderWayAsync(run);
        // Left 29 days before today: 30 days away at 24:00 tomorrow, the 31st begins then.
        var leftOn = Today(run).AddDays(-29);
        var away = await run.SendAsync(new RecordAbsence(As(Office), leftOn, false));
        var limit = Deadline(away, DeadlineStep.AwayLimit).DueAt;
        Assert.Equal(Core.Time.ChinaTime.EndOfDay(leftOn.AddDays(30)), limit);
        Assert.Empty(away.Community!.Grounds);

        var reached = await run.UntilAsync(c => c.Community!.Grounds.Contains(ViolationGround.DaysAway), "the 31st day away");
        Assert.Equal(DeadlineStatus.Met, Deadline(reached, DeadlineStep.AwayLimit).Status);
        Assert.True((await EventsAsync(run)).Last(e => e is ViolationFound).At >= limit);
        Assert.DoesNotContain(reached.Escalations, e => e.Kind == EscalationKind.ViolationNotReported);
    }

    [Fact]
    public async Task ThreeMissedTests_TheOfficesReportToThePolice_EscalatesAtItsInstant()
    {
        var run = new CaseRun(_stores, Client, Speed, Grace);
        await UnderWayAsync(run);
        foreach (var day in new[] { 10, 17, 24 })
        {
            await run.SendAsync(new RecordTest(As(Office), Beijing(2026, 2, day, 9), TestResult.Missed));
        }

        var found = await run.CaseAsync();
        Assert.Equal([ViolationGround.Tests], found.Community!.Grounds);
        var due = Deadline(found, DeadlineStep.ViolationReport).DueAt;
        var late = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.ViolationNotReported), "the report to the police escalated");
        Assert.True(Assert.Single(late.Escalations, e => e.Kind == EscalationKind.ViolationNotReported).OpenedAt >= due);
    }

    [Fact]
    public async Task Suspension_HoldsTheDeadlines_AndTheReleaseMovesThemOn()
    {
        // A legal day a second. Last seen 29 days before today: the contact period ends at 24:00 tomorrow (or later, over a holiday).
        var run = new CaseRun(_stores, Client, 86400, Grace);
        await UnderWayAsync(run);
        var contactOn = Today(run).AddDays(-29);
        var seen = await run.SendAsync(new RecordInterview(As(Office), Core.Time.ChinaTime.StartOfDay(contactOn).AddHours(10)));
        var contact = Deadline(seen, DeadlineStep.Contact);

        var held = await run.SendAsync(new SuspendCommunity(As(Police), SuspensionReason.Detention, run.Time.GetUtcNow()));
        Assert.True(Deadline(held, DeadlineStep.Contact).Provisional);
        await run.PassAsync(contact.DueAt, TimeSpan.FromMilliseconds(800));
        Assert.DoesNotContain((await run.CaseAsync()).Escalations, e => e.Kind == EscalationKind.NoContact && e.Status == EscalationStatus.Open);

        var resumed = await run.SendAsync(new ResumeCommunity(As(Police), run.Time.GetUtcNow()));
        var moved = Deadline(resumed, DeadlineStep.Contact);
        Assert.False(moved.Provisional);
        Assert.True(resumed.Community!.DaysSuspended >= 1);
        Assert.Equal(contact.LastDay.AddDays(resumed.Community.DaysSuspended), moved.LastDay);
        var lost = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.NoContact && e.Status == EscalationStatus.Open), "失联 after the moved deadline");
        Assert.True(Assert.Single(lost.Escalations, e => e.Kind == EscalationKind.NoContact && e.Status == EscalationStatus.Open).OpenedAt >= moved.DueAt);
    }

    [Fact]
    public async Task Expiry_EndsThePeriodOnItsDay_AndALate解除NoticeEscalatesToTheDecidingOrgan()
    {
        // Reported three years before today: the period ends at 24:00 today, its 解除 notice due a week later.
        var run = new CaseRun(_stores, Client, Speed, Grace);
        var reportedOn = Today(run).AddYears(-3).AddDays(1);
        await run.OpenAsync(Order(reportedOn, Core.Time.ChinaTime.StartOfDay(reportedOn).AddHours(9)));
        await run.SendAsync(new AcknowledgeNotice(As(Office)));
        var reported = await run.SendAsync(new RecordReport(As(Office), Core.Time.ChinaTime.StartOfDay(reportedOn).AddHours(15)));
        var end = Deadline(reported, DeadlineStep.Expiry);
        Assert.Equal(reportedOn.AddYears(3), end.LastDay);

        var expired = await run.UntilAsync(c => c.State == CaseState.Ended, "the period expired");
        Assert.Equal(CommunityEnd.Expired, expired.Community!.EndReason);
        Assert.True((await EventsAsync(run)).Last(e => e is CommunityExpired).At >= end.DueAt);
        var notice = Deadline(expired, DeadlineStep.EndNotice);
        Assert.True(notice.LastDay >= end.LastDay.AddDays(7));
        Assert.All(expired.Escalations, e => Assert.Equal(EscalationStatus.Resolved, e.Status));

        var late = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.EndNoticeLate), "the 解除 notice escalated");
        var escalation = Assert.Single(late.Escalations, e => e.Kind == EscalationKind.EndNoticeLate);
        Assert.True(escalation.OpenedAt >= notice.DueAt);
        Assert.Equal([Authority], escalation.Recipients.Where(r => r.Level == 1).Select(r => r.OrganisationId));

        var served = await run.SendAsync(new RecordEndNotice(As(Authority), run.Time.GetUtcNow(), run.Time.GetUtcNow()));
        Assert.True(served.IsClosed);
        var completed = await run.CompletionAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
    }

    private async Task<IReadOnlyList<CaseEvent>> EventsAsync(CaseRun run) => (await _stores.Store.HistoryAsync(run.CaseId)).Select(h => h.Event).ToList();

    private static DateOnly Today(CaseRun run) => Core.Time.ChinaTime.LocalDate(run.Time.GetUtcNow());

    /// <summary>
    /// A 社区戒毒 order served 2026-01-05, reported 01-06, agreement 01-06, seen 02-26 — entered after the fact, so its earlier deadlines
    /// are missed and their escalations resolved by the steps entered.
    /// </summary>
    private async Task UnderWayAsync(CaseRun run)
    {
        await run.OpenAsync(Order(new DateOnly(2026, 1, 5), Beijing(2026, 1, 5, 10)));
        await run.SendAsync(new AcknowledgeNotice(As(Office)));
        await run.SendAsync(new RecordReport(As(Office), Beijing(2026, 1, 6, 10)));
        await run.SendAsync(new RecordAgreement(As(Office), Beijing(2026, 1, 6, 11)));
        await run.SendAsync(new RecordInterview(As(Office), Beijing(2026, 2, 26, 10)));
    }

    private RecordCommunityOrder Order(DateOnly decidedOn, DateTimeOffset servedAt) =>
        CommunityOrder(decidedOn, servedAt, Storage.Cases.CaseIds.New(), _stores.Person(UniqueIdNumber()));

    private static Deadline Deadline(Case c, DeadlineStep step) => Assert.Single(c.Deadlines, d => d.Step == step);
}
