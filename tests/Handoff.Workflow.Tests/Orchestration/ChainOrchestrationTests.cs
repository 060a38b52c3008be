using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Testing;
using Handoff.Workflow.Tests.Support;
using Microsoft.DurableTask.Client;
using static Handoff.Testing.TestData;

namespace Handoff.Workflow.Tests.Orchestration;

/// <summary>
/// The links before the release on the SDK's in-process engine, with real durable timers and workflow time compressed (four legal days a
/// second): each deadline escalates at or after its instant, never before, and a step done in time keeps it from escalating at all.
/// Files are opened with dates in the past where a link takes months, as an organ entering a decision after the fact would.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ChainOrchestrationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const double Speed = 86400 * 4;

    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(250);

    private readonly Stores _stores = new(azurite.ConnectionString);
    private readonly Stores _plan = new(azurite.ConnectionString, regional: new Dictionary<string, HandoffPolicy> { ["44"] = new() { TransferMaxMonths = 12 } });
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
    public async Task Delivery_OnTime_NeverEscalates()
    {
        // A legal day every 4 s: the steps are sent well inside the delivery's day and a half and the decision notices' 24 hours (禁毒法
        // 40), even on a loaded machine. At a day a second the notices' 24 hours were 1 real second, and a CI run sent them after it
        // (a NotNotified escalation: ci-flake-delivery-on-time-notices-late.log).
        var run = new CaseRun(_stores, Client, 86400 / 4, Grace);
        var decided = await run.OpenAsync(Decision(run, new DateOnly(2026, 3, 2), CaseRun.Start));
        var due = Deadline(decided, DeadlineStep.Delivery).DueAt;
        await run.PassAsync(CaseRun.Start.AddHours(6), TimeSpan.Zero);
        await run.SendAsync(new RecordIntake(As(PublicSecurityCentre), CaseRun.Start.AddHours(6)));
        await run.SendAsync(new RecordDecisionNotices(As(Authority), CaseRun.Start.AddHours(6)));

        await run.PassAsync(due, TimeSpan.FromMilliseconds(500));
        var c = await run.CaseAsync();
        Assert.Equal(DeadlineStatus.Met, Deadline(c, DeadlineStep.Delivery).Status);
        Assert.Empty(c.Escalations);
    }

    [Fact]
    public async Task Delivery_Late_EscalatesAtItsInstantNotBefore_AndTheIntakeResolvesIt()
    {
        var run = new CaseRun(_stores, Client, Speed, Grace);
        var decided = await run.OpenAsync(Decision(run, new DateOnly(2026, 3, 2), CaseRun.Start));
        var due = Deadline(decided, DeadlineStep.Delivery).DueAt;

        var late = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.NotDelivered), "the delivery escalated");
        var escalation = Assert.Single(late.Escalations, e => e.Kind == EscalationKind.NotDelivered);
        Assert.True(escalation.OpenedAt >= due, $"opened at {escalation.OpenedAt:O}, before the deadline ended at {due:O}");
        Assert.Equal([Authority], escalation.Recipients.Where(r => r.Level == 1).Select(r => r.OrganisationId));

        var taken = await run.SendAsync(new RecordIntake(As(PublicSecurityCentre), run.Time.GetUtcNow()));
        Assert.Equal(EscalationStatus.Resolved, Assert.Single(taken.Escalations, e => e.Kind == EscalationKind.NotDelivered).Status);
        Assert.Equal(DeadlineStatus.Missed, Deadline(taken, DeadlineStep.Delivery).Status);
    }

    [Fact]
    public async Task Transfer_PastSixMonths_EscalatesAtTheWindowsEnd()
    {
        // Taken in on 2025-09-05: the window closes at 24:00 on 2026-03-05, three legal days after the clock's start.
        var run = new CaseRun(_stores, Client, Speed, Grace);
        await run.OpenAsync(Decision(run, new DateOnly(2025, 9, 5), Beijing(2025, 9, 5, 10)));
        var inCentre = await run.SendAsync(new RecordIntake(As(PublicSecurityCentre), Beijing(2025, 9, 5, 16)));
        var due = Deadline(inCentre, DeadlineStep.Transfer).DueAt;
        Assert.Equal(Handoff.Core.Time.ChinaTime.EndOfDay(new DateOnly(2026, 3, 5)), due);

        var late = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.NotTransferred), "the transfer escalated");
        var escalation = Assert.Single(late.Escalations, e => e.Kind == EscalationKind.NotTransferred);
        Assert.True(escalation.OpenedAt >= due, $"opened at {escalation.OpenedAt:O}, before the window closed at {due:O}");
        Assert.Equal([PublicSecurityCentre], escalation.Recipients.Where(r => r.Level == 1).Select(r => r.OrganisationId));

        var sent = await run.SendAsync(new RecordTransfer(As(PublicSecurityCentre), Centre, run.Time.GetUtcNow()));
        Assert.Equal(CaseState.Transferring, sent.State);
        var received = await run.SendAsync(new RecordReception(As(Centre), run.Time.GetUtcNow(), "决定书", null));
        Assert.Equal(Centre, received.CentreId);
        Assert.All(received.Escalations.Where(e => e.Kind == EscalationKind.NotTransferred), e => Assert.Equal(EscalationStatus.Resolved, e.Status));
    }

    [Fact]
    public async Task Transfer_UnderAProvincialPlan_DoesNotEscalateAtSixMonths()
    {
        await using var engine = await InProcessEngine.StartAsync(_plan);
        var run = new CaseRun(_plan, engine.Client, Speed, Grace);
        await run.OpenAsync(Decision(run, new DateOnly(2025, 9, 5), Beijing(2025, 9, 5, 10)));
        var inCentre = await run.SendAsync(new RecordIntake(As(PublicSecurityCentre), Beijing(2025, 9, 5, 16)));
        Assert.Equal(new DateOnly(2026, 9, 5), Deadline(inCentre, DeadlineStep.Transfer).LastDay);

        await run.PassAsync(Handoff.Core.Time.ChinaTime.EndOfDay(new DateOnly(2026, 3, 5)), TimeSpan.FromMilliseconds(750));
        Assert.DoesNotContain((await run.CaseAsync()).Escalations, e => e.Kind == EscalationKind.NotTransferred);
    }

    [Fact]
    public async Task Extension_DecidedLate_Escalates_ThenMovesTheRelease()
    {
        // Term to 2026-03-20; the centre proposes an extension at the start; the deciding organ's 7 days end at 24:00 on 2026-03-09.
        var run = new CaseRun(_stores, Client, Speed, Grace);
        await run.OpenAsync(Decision(run, new DateOnly(2024, 3, 20), Beijing(2024, 3, 20, 10), centre: Centre));
        await run.SendAsync(new RecordIntake(As(Centre), Beijing(2024, 3, 20, 16)));
        var proposed = await run.SendAsync(new ProposeTermChange(As(Centre), TermChangeKind.Extension, new DateOnly(2026, 9, 20), "诊断评估未达标"));
        var due = Deadline(proposed, DeadlineStep.TermDecision).DueAt;

        var late = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.TermDecisionLate), "the term decision escalated");
        Assert.True(Assert.Single(late.Escalations, e => e.Kind == EscalationKind.TermDecisionLate).OpenedAt >= due);

        var decided = await run.SendAsync(new DecideTermChange(As(Authority), true, run.Time.GetUtcNow(), null));
        Assert.Equal(new DateOnly(2026, 9, 20), decided.ReleaseDate);
        Assert.Equal(Handoff.Core.Time.ChinaTime.EndOfDay(new DateOnly(2026, 9, 20)), Deadline(decided, DeadlineStep.Release).DueAt);

        // The old release date passes without an escalation: the release follows the decided term.
        await run.PassAsync(Handoff.Core.Time.ChinaTime.EndOfDay(new DateOnly(2026, 3, 20)), TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain((await run.CaseAsync()).Escalations, e => e.Kind == EscalationKind.ReleaseNotRecorded);
    }

    [Fact]
    public async Task Escape_StopsTheClock_NothingEscalatesAgainstTheOldReleaseDate()
    {
        // Term to 2026-03-04; the person escapes at the start; the old release day passes; the return moves the term. A legal day a second:
        // at four, a loaded machine took the three legal days to 24:00 on 03-04 to send the four steps, and the release escalated first.
        var run = new CaseRun(_stores, Client, 86400, Grace);
        await run.OpenAsync(Decision(run, new DateOnly(2024, 3, 4), Beijing(2024, 3, 4, 10), centre: Centre));
        await run.SendAsync(new RecordIntake(As(Centre), Beijing(2024, 3, 4, 16)));
        await run.SendAsync(new SendReleaseNotice(As(Centre), Office, Police, 3));
        await run.SendAsync(new RecordEscape(As(Centre), CaseRun.Start));

        await run.PassAsync(Handoff.Core.Time.ChinaTime.EndOfDay(new DateOnly(2026, 3, 5)), TimeSpan.FromMilliseconds(500));
        var away = await run.CaseAsync();
        Assert.DoesNotContain(away.Escalations, e => e.Kind == EscalationKind.ReleaseNotRecorded);

        var back = await run.SendAsync(new RecordReturn(As(Centre), run.Time.GetUtcNow()));
        Assert.True(back.Commitment!.DaysAway >= 3);
        Assert.Equal(new DateOnly(2026, 3, 4).AddDays(back.Commitment.DaysAway), back.ReleaseDate);
        Assert.False(Deadline(back, DeadlineStep.Release).Provisional);
    }

    [Fact]
    public async Task EarlyRelease_MovesTheReleaseDate_AndTheNoticeFallsDueBeforeIt()
    {
        // Decided 2025-01-10: an early release to 2026-03-10 is approved at the start, so the notice is due by 24:00 on 2026-03-07.
        var run = new CaseRun(_stores, Client, Speed, Grace);
        await run.OpenAsync(Decision(run, new DateOnly(2025, 1, 10), Beijing(2025, 1, 10, 10), centre: Centre));
        await run.SendAsync(new RecordIntake(As(Centre), Beijing(2025, 1, 10, 16)));
        await run.SendAsync(new ProposeTermChange(As(Centre), TermChangeKind.EarlyRelease, new DateOnly(2026, 3, 10), "诊断评估合格"));
        var decided = await run.SendAsync(new DecideTermChange(As(Authority), true, run.Time.GetUtcNow(), null));
        var notice = Deadline(decided, DeadlineStep.Notice);
        Assert.Equal(new DateOnly(2026, 3, 7), notice.LastDay);

        var late = await run.UntilAsync(c => c.Escalations.Any(e => e.Kind == EscalationKind.NoticeNotSent), "the missing notice escalated");
        Assert.True(Assert.Single(late.Escalations, e => e.Kind == EscalationKind.NoticeNotSent).OpenedAt >= notice.DueAt);

        var sent = await run.SendAsync(new SendReleaseNotice(As(Centre), Office, Police, 3));
        Assert.Equal(CaseState.Scheduled, sent.State);
        Assert.Equal(EscalationStatus.Resolved, Assert.Single(sent.Escalations, e => e.Kind == EscalationKind.NoticeNotSent).Status);
    }

    private RecordDecision Decision(CaseRun run, DateOnly decidedOn, DateTimeOffset servedAt, string centre = PublicSecurityCentre) =>
        Committal(decidedOn, servedAt, centre, Storage.Cases.CaseIds.New(), _stores.Person(UniqueIdNumber()));

    private static Deadline Deadline(Case c, DeadlineStep step) => Assert.Single(c.Deadlines, d => d.Step == step);
}
