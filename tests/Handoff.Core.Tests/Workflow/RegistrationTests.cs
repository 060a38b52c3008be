using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Testing;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Workflow;

public class RegistrationTests
{
    [Fact]
    public void Register_InGoodTime_SetsEveryDeadlineAndNotifiesOfficePoliceAndOrgan()
    {
        var run = new CaseRun();
        var decision = run.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 24, 10));

        Assert.Equal(CaseState.Scheduled, run.Case.State);
        var notice = run.Deadline(DeadlineStep.Notice);
        Assert.Equal(new DateOnly(2026, 2, 27), notice.LastDay);
        Assert.Equal(DeadlineStatus.Met, notice.Status);
        Assert.Equal(new DateOnly(2026, 2, 25), run.Deadline(DeadlineStep.Acknowledgement).LastDay);
        Assert.Equal(Beijing(2026, 3, 3, 0), run.Deadline(DeadlineStep.Release).DueAt);
        var report = run.Deadline(DeadlineStep.Report);
        Assert.Equal(new DateOnly(2026, 3, 17), report.LastDay);
        Assert.True(report.Provisional);
        Assert.True(run.Deadline(DeadlineStep.Agreement).Provisional);
        Assert.Equal([Office, Police, Authority], decision.Notices.Select(n => n.RecipientId));
        Assert.All(decision.Notices, n => Assert.Equal(NoticeKind.ReleaseNotice, n.Kind));
        Assert.Empty(run.Case.Escalations);
    }

    [Fact]
    public void Register_APolicyDeadline_CitesWhereItsFigureComesFrom()
    {
        // Found in the pages: "本地政策" with nothing to say whose policy; an official must be able to cite it.
        var run = new CaseRun { Policy = new HandoffPolicy { Source = "梅州市禁毒办〔2026〕3号" } };
        run.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 24, 10));
        Assert.Equal("本地政策（梅州市禁毒办〔2026〕3号）：通报后1日内签收", run.Deadline(DeadlineStep.Acknowledgement).Rule);
        Assert.Contains("本地政策（梅州市禁毒办〔2026〕3号）", run.Deadline(DeadlineStep.Agreement).Rule);

        var unset = new CaseRun();
        unset.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 24, 10));
        Assert.Equal("本地政策（系统默认值，未配置依据）：通报后1日内签收", unset.Deadline(DeadlineStep.Acknowledgement).Rule);
    }

    [Fact]
    public void ReleaseNotice_AsksOnlyTheOfficeToAcknowledge()
    {
        // Found walking the pages: the police station's copy ended "请签收本通报", and it has no 签收 to do.
        var decision = new CaseRun().Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 24, 10));
        Assert.Contains("请签收本通报", decision.Notices.Single(n => n.RecipientId == Office).Body);
        Assert.All(decision.Notices.Where(n => n.RecipientId != Office), n => Assert.DoesNotContain("签收", n.Body));
    }

    [Fact]
    public void Register_AcknowledgementDueOnHoliday_RollsOver()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 10, 20)), Beijing(2026, 9, 30, 16));

        Assert.Equal(new DateOnly(2026, 10, 8), run.Deadline(DeadlineStep.Acknowledgement).LastDay);
    }

    [Fact]
    public void Register_LessThanThreeDaysAhead_OpensLateNoticeAgainstCentre()
    {
        var run = new CaseRun();
        var decision = run.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 28, 9));

        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Notice).Status);
        var escalation = run.Escalation(EscalationKind.LateNotice);
        Assert.Equal([Centre, CitySupervisor], escalation.Recipients.Select(r => r.OrganisationId)); // the centre, and its supervisor at once
        Assert.Single(decision.Notices, n => n.Kind == NoticeKind.Escalation && n.RecipientId == CitySupervisor);
        var notice = Assert.Single(decision.Notices, n => n.Kind == NoticeKind.Escalation && n.RecipientId == Centre);
        Assert.Equal($"{escalation.Id}-L1-{Centre}", notice.Id);
        Assert.Contains("第三十四条", notice.Body);
        Assert.Contains("4414**********1234", notice.Body);
        Assert.DoesNotContain("441426199003071234", notice.Body);
    }

    [Fact]
    public void LateNotice_IsANoticeToTheCentreAndItsSupervisor_ThatNeverClimbs_AndEndsWithTheRelease()
    {
        // Found in the pages: a late notice can never be remedied, yet it climbed day by day like a missed step, to the province.
        // 戒毒条例 34 is broken once; the centre and the supervisor above it are told at once, and the escalation ends with the release.
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 28, 9));
        run.Accept(new Tick(), Beijing(2026, 3, 1, 0));
        run.Accept(new Tick(), Beijing(2026, 3, 2, 0));

        var escalation = run.Escalation(EscalationKind.LateNotice);
        Assert.Equal(2, escalation.Level);
        Assert.Null(escalation.NextClimbAt);
        Assert.Equal([(Centre, 1), (CitySupervisor, 2)], escalation.Recipients.Select(r => (r.OrganisationId, r.Level)));

        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 2, 9), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2026, 3, 2, 9, 30));
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.LateNotice).Status);
    }

    [Fact]
    public void NotAcknowledged_EndsWhenThePersonIsReleased_ItsStepNoLongerPossible()
    {
        // Found in the pages: after the release the office's 签收 button is gone, but "通知未签收" stayed open and climbed for ever.
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 9)), Beijing(2026, 2, 24, 10));
        run.Accept(new Tick(), Beijing(2026, 2, 27, 0));
        Assert.Equal(EscalationStatus.Open, run.Escalation(EscalationKind.NotAcknowledged).Status);

        var decision = run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 9, 9), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2026, 3, 9, 9, 30));

        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NotAcknowledged).Status);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Acknowledgement).Status);
        Assert.Contains(decision.Notices, n => n.Kind == NoticeKind.EscalationResolved && n.Body.Contains("已出所", StringComparison.Ordinal));
    }

    [Fact]
    public void ReleaseBeforeTheNoticeWasAcknowledged_NoAcknowledgementEscalationOpensAfterIt()
    {
        // The acknowledgement can no longer come before the release once the person has left: its deadline must not open an
        // escalation afterwards that nobody can resolve (the office's 签收 button is gone after the release).
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 9)), Beijing(2026, 2, 24, 10));
        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 2, 24, 11), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2026, 2, 24, 11, 30));
        run.Accept(new Tick(), Beijing(2026, 2, 27, 0));

        Assert.DoesNotContain(run.Case.Escalations, e => e.Kind == EscalationKind.NotAcknowledged && e.Status == EscalationStatus.Open);
    }

    [Fact]
    public void Register_ExactlyThreeDaysAheadBeforeMidnight_IsOnTime()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 5)), Beijing(2026, 3, 2, 23, 59));

        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.Notice).Status);
    }

    [Fact]
    public void Register_WithoutRehabilitation_HasNoReportDeadline()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 2), rehabilitationYears: 0), Beijing(2026, 2, 20));

        Assert.Null(run.Case.DeadlineFor(DeadlineStep.Report));
        Assert.Null(run.Case.DeadlineFor(DeadlineStep.Agreement));
    }

    [Theory]
    [InlineData(4, "rehabilitationYears", "rehabilitation-years-range")]
    [InlineData(-1, "rehabilitationYears", "rehabilitation-years-range")]
    public void Register_RehabilitationOutOfRange_IsRejectedNamingTheField(int years, string field, string code)
    {
        var decision = new CaseRun().Do(Register(new DateOnly(2026, 3, 2), rehabilitationYears: years), Beijing(2026, 2, 20));

        Assert.Equal(RejectionKind.Invalid, decision.Rejection!.Kind);
        Assert.Equal(field, decision.Rejection.Field);
        Assert.Equal(code, decision.Rejection.Code);
    }

    [Fact]
    public void Register_ReleaseDateInThePast_IsRejected()
    {
        var decision = new CaseRun().Do(Register(new DateOnly(2026, 2, 19)), Beijing(2026, 2, 20));

        Assert.Equal("releaseDate", decision.Rejection!.Field);
    }

    [Fact]
    public void Register_OfficeNotWhereThePersonLives_IsRejected()
    {
        var command = Register(new DateOnly(2026, 3, 2)) with { OfficeId = OtherOffice };

        var decision = new CaseRun().Do(command, Beijing(2026, 2, 20));

        Assert.Equal("office-not-at-residence", decision.Rejection!.Code);
    }

    [Fact]
    public void Register_PoliceStationNotWhereThePersonLives_IsRejected_AndEveryRuleBrokenIsListed()
    {
        // 戒毒条例 34: the centre tells the police station of the person's household or residence to collect them; found walking the
        // pages: a 平远 person with a 潍坊 police station was accepted, and 大柘派出所 was never told.
        var command = Register(new DateOnly(2026, 3, 2)) with { PoliceStationId = OtherPolice };
        Assert.Equal("police-not-at-residence", new CaseRun().Do(command, Beijing(2026, 2, 20)).Rejection!.Code);

        var everything = Register(new DateOnly(2026, 2, 19)) with { PoliceStationId = OtherPolice, OfficeId = OtherOffice };
        Assert.Equal(
            ["office-not-at-residence", "police-not-at-residence", "release-date-past"],
            everything.Problems(Context(Beijing(2026, 2, 20))).Select(r => r.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Register_ByAnOffice_IsForbidden()
    {
        var command = Register(new DateOnly(2026, 3, 2)) with { By = As(Office) };

        var decision = new CaseRun().Do(command, Beijing(2026, 2, 20));

        Assert.Equal(RejectionKind.Forbidden, decision.Rejection!.Kind);
    }

    [Theory]
    [InlineData("policeStationId", "nobody")]
    [InlineData("decisionAuthorityId", Police)]
    [InlineData("receivingOfficeId", Centre)]
    public void Register_UnknownOrWrongKindOfParty_NamesTheField(string field, string id)
    {
        var command = Register(new DateOnly(2026, 3, 2));
        command = field switch
        {
            "policeStationId" => command with { PoliceStationId = id },
            "decisionAuthorityId" => command with { DecisionAuthorityId = id },
            _ => command with { OfficeId = id },
        };

        var decision = new CaseRun().Do(command, Beijing(2026, 2, 20));

        Assert.Equal(field, decision.Rejection!.Field);
    }

    [Fact]
    public void Register_SameCommandAgain_DecidesNothing()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 20));

        var again = run.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 20, 10));

        Assert.Empty(again.Events);
    }
}
