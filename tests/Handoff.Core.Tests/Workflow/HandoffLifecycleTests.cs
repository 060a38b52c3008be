using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Testing;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Workflow;

public class HandoffLifecycleTests
{
    private static readonly DateOnly ReleaseDay = new(2026, 3, 2);

    private static CaseRun Registered()
    {
        var run = new CaseRun();
        run.Accept(Register(ReleaseDay), Beijing(2026, 2, 24, 10));
        return run;
    }

    /// <summary>Acknowledged, its release day passed unrecorded, and a day more: the escalation opened at the centre and climbed once.</summary>
    private static CaseRun ReleaseNotRecordedForTwoDays()
    {
        var run = Registered();
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 24, 15));
        run.Accept(new Tick(), Beijing(2026, 3, 3, 0));
        run.Accept(new Tick(), Beijing(2026, 3, 4, 0));
        return run;
    }

    private static CaseRun Released(CollectorKind collector = CollectorKind.Family)
    {
        var run = Registered();
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 24, 15));
        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 2, 9), new CollectedBy(collector, collector == CollectorKind.None ? null : "张父")), Beijing(2026, 3, 2, 9, 30));
        return run;
    }

    [Fact]
    public void ReleaseRecordedNotice_GivesTheReportDeadlineCountedFromTheActualRelease()
    {
        // Found in the pages: the 已出所 letter to the office and the police gave the report deadline counted from the planned date
        // (3月17日) while the case escalates on the one counted from the actual release.
        var run = Registered();
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 24, 15));
        var decision = run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 4, 9), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2026, 3, 4, 9, 30));

        var lastDay = run.Deadline(DeadlineStep.Report).LastDay;
        Assert.Equal(new DateOnly(2026, 3, 19), lastDay);
        Assert.All(decision.Notices.Where(n => n.Kind == NoticeKind.ReleaseRecorded), n => Assert.Contains("应于2026年3月19日 24:00前", n.Body));
        Assert.Contains(decision.Notices, n => n.Kind == NoticeKind.ReleaseRecorded);
    }

    [Fact]
    public void EscalationNotice_AtTheDeadline_DoesNotSayZeroDaysZeroHoursLate()
    {
        // Found walking the pages: escalations said "已逾期0天0小时".
        var run = Registered();
        var decision = run.Accept(new Tick(), Beijing(2026, 2, 26, 0));
        Assert.Contains(decision.Notices, n => n.Kind == NoticeKind.Escalation);
        Assert.All(decision.Notices.Where(n => n.Kind == NoticeKind.Escalation), n => Assert.DoesNotContain("0天0小时", n.Body));
    }

    [Fact]
    public void HappyPath_EveryStepOnTime_ReachesTheAgreementWithNoEscalation_AndThePeriodRunsOn()
    {
        var run = Released();
        run.Accept(new RecordReport(As(Office), Beijing(2026, 3, 5, 10)), Beijing(2026, 3, 5, 10, 5));
        run.Accept(new RecordAgreement(As(Office), Beijing(2026, 3, 6, 10)), Beijing(2026, 3, 6, 10, 5));

        Assert.Equal(CaseState.AgreementSigned, run.Case.State);
        Assert.All(run.Case.Deadlines.Where(d => d.Step is not (DeadlineStep.Contact or DeadlineStep.Expiry)), d => Assert.Equal(DeadlineStatus.Met, d.Status));
        Assert.Empty(run.Case.Escalations);
        // The agreement no longer closes the file: 社区康复 runs from the report (our reading; the 条例 gives no start) for the years ordered,
        // with a contact deadline (policy) until then.
        Assert.False(run.Case.IsClosed);
        Assert.Equal(new DateOnly(2026, 3, 5), run.Case.Community!.StartedOn);
        Assert.Equal(new DateOnly(2026, 3, 5).AddYears(run.Case.RehabilitationYears), run.Deadline(DeadlineStep.Expiry).LastDay);
        Assert.Equal(run.Deadline(DeadlineStep.Contact).DueAt, CaseWorkflow.NextDueAt(run.Case));
    }

    [Fact]
    public void RecordRelease_SetsFirmReportDeadlineFromActualReleaseDate()
    {
        var run = Registered();
        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 2, 9), new CollectedBy(CollectorKind.Police, "李警官")), Beijing(2026, 3, 2, 9, 30));

        var report = run.Deadline(DeadlineStep.Report);
        Assert.False(report.Provisional);
        Assert.Equal(new DateOnly(2026, 3, 17), report.LastDay);
        Assert.Equal(CaseState.Released, run.Case.State);
    }

    [Fact]
    public void RecordRelease_NobodyCollected_EscalatesToOfficePoliceAndOrganAtOnce()
    {
        var run = Released(CollectorKind.None);

        var escalation = run.Escalation(EscalationKind.NotCollected);
        Assert.Equal([Office, Police, Authority], escalation.Recipients.Select(r => r.OrganisationId));
        Assert.Contains(run.Notices, n => n.Id == $"{escalation.Id}-L1-{Police}" && n.Body.Contains("出所必接"));
    }

    [Fact]
    public void RecordRelease_WithoutRehabilitation_CompletesTheHandoff()
    {
        var run = new CaseRun();
        run.Accept(Register(ReleaseDay, rehabilitationYears: 0), Beijing(2026, 2, 24));
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 24, 12));
        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 2, 9), new CollectedBy(CollectorKind.Family, "张母")), Beijing(2026, 3, 2, 10));

        Assert.Equal(CaseState.Completed, run.Case.State);
        Assert.True(run.Case.IsClosed);
        Assert.Contains(run.Notices, n => n.Kind == NoticeKind.ReleaseRecorded && n.RecipientId == Police);
    }

    [Fact]
    public void Tick_AfterReportDeadline_MarksLostContactAndEscalates()
    {
        var run = Released();
        var tick = run.Accept(new Tick(), Beijing(2026, 3, 18, 0, 0));

        Assert.Equal(CaseState.LostContact, run.Case.State);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Report).Status);
        var escalation = run.Escalation(EscalationKind.NotReported);
        Assert.Equal(1, escalation.Level);
        Assert.Equal([Office, Police, Authority], tick.Notices.Select(n => n.RecipientId));
        Assert.All(tick.Notices, n => Assert.Contains("逾期未报到", n.Title));
    }

    [Fact]
    public void Tick_JustBeforeDue_DoesNothing()
    {
        var run = Released();
        var tick = run.Accept(new Tick(), Beijing(2026, 3, 17, 23, 59));

        Assert.Empty(tick.Events);
        Assert.Equal(Beijing(2026, 3, 18, 0), CaseWorkflow.NextDueAt(run.Case));
    }

    [Fact]
    public void Tick_Repeated_IsHarmless()
    {
        var run = Released();
        run.Accept(new Tick(), Beijing(2026, 3, 18, 0, 1));
        var again = run.Accept(new Tick(), Beijing(2026, 3, 18, 0, 2));

        Assert.Empty(again.Events);
        Assert.Empty(again.Notices);
    }

    [Fact]
    public void Escalation_EveryInterval_ClimbsCountyCityProvinceThenStops()
    {
        var run = Released();
        run.Accept(new Tick(), Beijing(2026, 3, 18, 0));
        run.Accept(new Tick(), Beijing(2026, 3, 19, 0));
        Assert.Equal(2, run.Escalation(EscalationKind.NotReported).Level);
        run.Accept(new Tick(), Beijing(2026, 3, 20, 0));
        run.Accept(new Tick(), Beijing(2026, 3, 21, 0));

        var escalation = run.Escalation(EscalationKind.NotReported);
        Assert.Equal(4, escalation.Level);
        Assert.Null(escalation.NextClimbAt);
        Assert.Equal(
            [(Office, 1), (Police, 1), (Authority, 1), (CountySupervisor, 2), (CitySupervisor, 3), (ProvinceSupervisor, 4)],
            escalation.Recipients.Select(r => (r.OrganisationId, r.Level)));
        Assert.DoesNotContain(escalation.Recipients, r => r.OrganisationId == CentreBureau);
    }

    [Fact]
    public void Escalation_LateWakeUp_CatchesUpEveryMissedLevelOnce()
    {
        var run = Released();
        var tick = run.Accept(new Tick(), Beijing(2026, 3, 25, 0));

        Assert.Equal(4, run.Escalation(EscalationKind.NotReported).Level);
        Assert.Equal(6, tick.Notices.Count(n => n.Kind == NoticeKind.Escalation));
    }

    [Fact]
    public void Escalation_SupervisorsRemovedFromDirectory_StopsClimbingInsteadOfFiringForever()
    {
        var run = Released();
        run.Accept(new Tick(), Beijing(2026, 3, 18, 0));
        var shrunk = new Handoff.Core.Organisations.OrganisationDirectory(Orgs.All.Where(o => o.Kind != Handoff.Core.Organisations.OrganisationKind.Supervisor));

        var decision = CaseWorkflow.Decide(run.Case, new Tick(), new WorkflowContext(Beijing(2026, 3, 19, 1), TestData.Calendar, shrunk, new HandoffPolicy()));

        Assert.Contains(decision.Events, e => e is EscalationLadderEnded);
        Assert.Null(decision.State!.Escalations.Single().NextClimbAt);
        Assert.Equal(1, decision.State.Escalations.Single().Level);
        Assert.Null(CaseWorkflow.NextDueAt(decision.State));
    }

    [Fact]
    public void LateReport_MovesLostContactToReported_KeepsBreachAndNotifiesEveryoneTold()
    {
        var run = Released();
        run.Accept(new Tick(), Beijing(2026, 3, 19, 1));
        var report = run.Accept(new RecordReport(As(Office), Beijing(2026, 3, 19, 9)), Beijing(2026, 3, 19, 9, 10));

        Assert.Equal(CaseState.Reported, run.Case.State);
        var deadline = run.Deadline(DeadlineStep.Report);
        Assert.Equal(DeadlineStatus.Missed, deadline.Status);
        Assert.Equal(Beijing(2026, 3, 19, 9), deadline.CompletedAt);
        var escalation = run.Escalation(EscalationKind.NotReported);
        Assert.Equal(EscalationStatus.Resolved, escalation.Status);
        Assert.Equal(
            [Office, Police, Authority, CountySupervisor],
            report.Notices.Where(n => n.Kind == NoticeKind.EscalationResolved).Select(n => n.RecipientId));
    }

    [Fact]
    public void ReportRecordedLateButMadeOnTime_IsMet()
    {
        var run = Released();
        run.Accept(new RecordReport(As(Office), Beijing(2026, 3, 17, 16)), Beijing(2026, 3, 18, 9));

        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.Report).Status);
        Assert.Empty(run.Case.Escalations);
    }

    [Fact]
    public void Agreement_NotSignedInTime_EscalatesAgainstOffice()
    {
        var run = Released();
        run.Accept(new RecordReport(As(Office), Beijing(2026, 3, 5, 10)), Beijing(2026, 3, 5, 10));
        Assert.Equal(new DateOnly(2026, 3, 9), run.Deadline(DeadlineStep.Agreement).LastDay); // 3-8 is a Sunday
        run.Accept(new Tick(), Beijing(2026, 3, 10, 0));

        Assert.Equal([Office], run.Escalation(EscalationKind.NoAgreement).Recipients.Select(r => r.OrganisationId));
    }

    [Fact]
    public void Acknowledgement_Missed_EscalatesThenResolvesOnLateAcknowledgement()
    {
        var run = Registered();
        run.Accept(new Tick(), Beijing(2026, 2, 26, 0));
        Assert.Equal(EscalationStatus.Open, run.Escalation(EscalationKind.NotAcknowledged).Status);

        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 26, 8));

        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NotAcknowledged).Status);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Acknowledgement).Status);
        Assert.Equal(CaseState.Acknowledged, run.Case.State);
    }

    [Fact]
    public void ReleaseNotRecorded_ByMidnight_EscalatesToCentreThenClimbsToRehabBureau()
    {
        var run = ReleaseNotRecordedForTwoDays();

        var escalation = run.Escalation(EscalationKind.ReleaseNotRecorded);
        Assert.Equal([(Centre, 1), (CitySupervisor, 2)], escalation.Recipients.Select(r => (r.OrganisationId, r.Level)));
        run.Accept(new Tick(), Beijing(2026, 3, 5, 0));
        Assert.Contains(run.Escalation(EscalationKind.ReleaseNotRecorded).Recipients, r => r.OrganisationId == CentreBureau);
    }

    [Fact]
    public void EscalationNotice_NamesItsLevelByTheOrganisationsItWentTo_NotAnAdministrativeTier()
    {
        // Found in the pages: a centre's step climbs to its city, then its province, so "第2级" is a city here and a county for an
        // office's step; the notice said only "上级禁毒部门督办" and the pages guessed a tier (县级督办 sent to the city).
        var run = ReleaseNotRecordedForTwoDays();

        var escalation = run.Escalation(EscalationKind.ReleaseNotRecorded);
        var first = run.Notices.Single(n => n.Id == $"{escalation.Id}-L1-{Centre}");
        var climbed = run.Notices.Single(n => n.Id == $"{escalation.Id}-L2-{CitySupervisor}");
        Assert.Contains($"督办级别：第1级（责任单位：{Orgs.Find(Centre)!.Name}）", first.Body);
        Assert.Contains($"督办级别：第2级（送{Orgs.Find(CitySupervisor)!.Name}）", climbed.Body);
    }

    [Fact]
    public void ProvisionalReportDeadline_NeverFiresBeforeReleaseIsRecorded()
    {
        var run = Registered();
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 24, 15));
        run.Accept(new Tick(), Beijing(2026, 3, 20));

        Assert.DoesNotContain(run.Case.Escalations, e => e.Kind == EscalationKind.NotReported);
        Assert.Equal(DeadlineStatus.Open, run.Deadline(DeadlineStep.Report).Status);
    }

    [Fact]
    public void Postpone_MovesDeadlinesKeepsStateAndSendsNewNotice()
    {
        var run = Registered();
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 24, 15));
        var decision = run.Accept(new PostponeRelease(As(Centre), new DateOnly(2026, 6, 1), "延长强制隔离戒毒期限"), Beijing(2026, 2, 27));

        Assert.Equal(CaseState.Acknowledged, run.Case.State);
        Assert.Equal(new DateOnly(2026, 6, 1), run.Case.ReleaseDate);
        Assert.Equal(Beijing(2026, 6, 2, 0), run.Deadline(DeadlineStep.Release).DueAt);
        Assert.Equal(new DateOnly(2026, 6, 16), run.Deadline(DeadlineStep.Report).LastDay);
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.Acknowledgement).Status);
        Assert.Equal([Office, Police, Authority], decision.Notices.Where(n => n.Kind == NoticeKind.ReleasePostponed).Select(n => n.RecipientId));
    }

    [Fact]
    public void Postpone_BeyondOneYearExtension_IsRejected()
    {
        var run = Registered();
        var decision = run.Do(new PostponeRelease(As(Centre), new DateOnly(2027, 3, 3), null), Beijing(2026, 2, 27));

        Assert.Equal("extension-too-long", decision.Rejection!.Code);
        Assert.Equal("newReleaseDate", decision.Rejection.Field);
    }

    [Fact]
    public void Postpone_AfterReleaseDayPassed_ResolvesReleaseNotRecorded()
    {
        var run = Registered();
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 24, 15));
        run.Accept(new Tick(), Beijing(2026, 3, 3, 1));
        run.Accept(new PostponeRelease(As(Centre), new DateOnly(2026, 4, 1), null), Beijing(2026, 3, 3, 9));

        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.ReleaseNotRecorded).Status);
        Assert.Equal(DeadlineStatus.Open, run.Deadline(DeadlineStep.Release).Status);
    }

    [Fact]
    public void Cancel_WithdrawsDeadlinesResolvesEscalationsAndCloses()
    {
        var run = Registered();
        run.Accept(new Tick(), Beijing(2026, 2, 26, 1));
        run.Accept(new CancelRelease(As(Centre), "决定延期解除"), Beijing(2026, 2, 26, 9));

        Assert.Equal(CaseState.Cancelled, run.Case.State);
        Assert.DoesNotContain(run.Case.Deadlines, d => d.Status == DeadlineStatus.Open);
        Assert.All(run.Case.Escalations, e => Assert.Equal(EscalationStatus.Resolved, e.Status));
        Assert.True(run.Case.IsClosed);
        Assert.Null(CaseWorkflow.NextDueAt(run.Case));
    }

    [Fact]
    public void Cancel_AfterRelease_IsAConflict()
    {
        var run = Released();

        Assert.Equal(RejectionKind.Conflict, run.Do(new CancelRelease(As(Centre), null), Beijing(2026, 3, 3)).Rejection!.Kind);
    }

    [Fact]
    public void Report_BeforeReleaseRecorded_IsAConflict()
    {
        var run = Registered();

        Assert.Equal("release-not-recorded", run.Do(new RecordReport(As(Office), Beijing(2026, 2, 25)), Beijing(2026, 2, 25)).Rejection!.Code);
    }

    [Theory]
    [InlineData(2026, 3, 1, "before-release")]
    [InlineData(2026, 3, 9, "in-the-future")]
    public void Report_ImpossibleInstant_IsRejectedNamingReportedAt(int y, int m, int d, string code)
    {
        var run = Released();

        var rejection = run.Do(new RecordReport(As(Office), Beijing(y, m, d)), Beijing(2026, 3, 5)).Rejection!;

        Assert.Equal(code, rejection.Code);
        Assert.Equal("reportedAt", rejection.Field);
    }

    [Fact]
    public void RecordRelease_CollectorWithoutName_IsRejected()
    {
        var run = Registered();

        var rejection = run.Do(new RecordRelease(As(Centre), Beijing(2026, 3, 2), new CollectedBy(CollectorKind.Family, " ")), Beijing(2026, 3, 2, 10)).Rejection!;

        Assert.Equal("collectedBy.name", rejection.Field);
    }

    [Fact]
    public void RecordRelease_SameAgain_IsIdempotent_DifferentIsAConflict()
    {
        var run = Released();
        var same = run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 2, 9), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2026, 3, 2, 11));
        var different = run.Do(new RecordRelease(As(Centre), Beijing(2026, 3, 2, 8), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2026, 3, 2, 11));

        Assert.Empty(same.Events);
        Assert.Equal("already-released", different.Rejection!.Code);
    }

    [Fact]
    public void PersonFound_ResolvesNotCollected()
    {
        var run = Released(CollectorKind.None);
        run.Accept(new RecordPersonFound(As(Police), Beijing(2026, 3, 2, 15), "在家中找到"), Beijing(2026, 3, 2, 16));

        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NotCollected).Status);
    }

    [Fact]
    public void MarkRead_ByRecipient_RecordsOnce_ByOthersIsForbidden()
    {
        var run = Released(CollectorKind.None);
        var id = run.Escalation(EscalationKind.NotCollected).Id;

        run.Accept(new MarkEscalationRead(As(Police), id), Beijing(2026, 3, 2, 11));
        var again = run.Accept(new MarkEscalationRead(As(Police), id), Beijing(2026, 3, 2, 12));
        var stranger = run.Do(new MarkEscalationRead(As(Centre), id), Beijing(2026, 3, 2, 12));

        Assert.Empty(again.Events);
        Assert.Equal([Police], run.Escalation(EscalationKind.NotCollected).ReadBy.Select(r => r.OrganisationId));
        Assert.Equal(RejectionKind.Forbidden, stranger.Rejection!.Kind);
    }

    public static TheoryData<string, string> WrongActors => new()
    {
        { "acknowledge", Centre },
        { "acknowledge", Police },
        { "release", Office },
        { "release", OtherCentre },
        { "report", Centre },
        { "agreement", Police },
        { "cancel", Office },
        { "postpone", Authority },
        { "found", Centre },
    };

    [Theory]
    [MemberData(nameof(WrongActors))]
    public void Command_ByWrongParty_IsForbiddenAndDecidesNothing(string command, string actor)
    {
        var run = Registered();
        var by = As(actor);
        CaseCommand c = command switch
        {
            "acknowledge" => new AcknowledgeNotice(by),
            "release" => new RecordRelease(by, Beijing(2026, 3, 2), new CollectedBy(CollectorKind.Family, "x")),
            "report" => new RecordReport(by, Beijing(2026, 3, 3)),
            "agreement" => new RecordAgreement(by, Beijing(2026, 3, 3)),
            "cancel" => new CancelRelease(by, null),
            "postpone" => new PostponeRelease(by, new DateOnly(2026, 4, 1), null),
            _ => new RecordPersonFound(by, Beijing(2026, 3, 3), null),
        };

        var decision = run.Do(c, Beijing(2026, 3, 4));

        Assert.Equal(RejectionKind.Forbidden, decision.Rejection!.Kind);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void CaseAccess_SupervisorOutsideRegion_CannotRead()
    {
        var run = Registered();
        var shaoguan = new Handoff.Core.Organisations.Organisation("shaoguan-nco", Handoff.Core.Organisations.OrganisationKind.Supervisor,
            Handoff.Core.Regions.RegionCode.Parse("440200"), "韶关市禁毒办");

        Assert.True(CaseAccess.CanRead(Orgs.Find(ProvinceSupervisor)!, run.Case, Orgs));
        Assert.True(CaseAccess.CanRead(Orgs.Find(CountySupervisor)!, run.Case, Orgs));
        Assert.False(CaseAccess.CanRead(shaoguan, run.Case, Orgs));
        Assert.False(CaseAccess.CanRead(Orgs.Find(OtherCentre)!, run.Case, Orgs));
    }
}
