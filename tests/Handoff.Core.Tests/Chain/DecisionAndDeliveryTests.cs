using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Chain;

/// <summary>The first links: the decision (禁毒法 38–41, 戒毒条例 25–27), the delivery to a centre, the intake or its refusal.</summary>
public class DecisionAndDeliveryTests
{
    private static readonly DateOnly DecidedOn = new(2026, 3, 10);

    [Fact]
    public void Decision_OpensTheFile_WithTheTermDeliveryAndTheNoticesDue()
    {
        var run = new CaseRun();
        var decision = run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));

        Assert.Equal(CaseState.Decided, run.Case.State);
        Assert.Equal(PublicSecurityCentre, run.Case.CentreId);
        Assert.Null(run.Case.OfficeId);
        // 戒毒条例 27①: two years from the decision; 民法典 202: the corresponding day is the last day.
        Assert.Equal(new DateOnly(2028, 3, 10), run.Case.Commitment!.TermEnds);
        Assert.Equal(new DateOnly(2028, 3, 10), run.Case.ReleaseDate);
        Assert.Equal(new DateOnly(2026, 3, 11), run.Deadline(DeadlineStep.Delivery).LastDay);
        // 禁毒法 40: 24 hours from service, to the minute.
        Assert.Equal(Beijing(2026, 3, 11, 15), run.Deadline(DeadlineStep.DecisionNotices).DueAt);
        Assert.Equal(ChinaEnd(2028, 3, 10), run.Deadline(DeadlineStep.Release).DueAt);
        var notice = run.Deadline(DeadlineStep.Notice);
        Assert.Equal(new DateOnly(2028, 3, 7), notice.LastDay);
        Assert.Equal(DeadlineStatus.Open, notice.Status);
        var delivery = Assert.Single(decision.Notices);
        Assert.Equal((PublicSecurityCentre, NoticeKind.Delivery), (delivery.RecipientId, delivery.Kind));
        Assert.Contains("2028年3月10日", delivery.Body);
    }

    [Theory]
    [InlineData(2024, 2, 29, 2026, 2, 28)] // no corresponding day: the month's last day (民法典 202)
    [InlineData(2025, 8, 31, 2027, 8, 31)]
    [InlineData(2025, 12, 30, 2027, 12, 30)]
    public void Decision_TermCountsInMonths(int y, int m, int d, int ey, int em, int ed)
    {
        var run = new CaseRun();
        run.Accept(Committal(new DateOnly(y, m, d), Beijing(y, m, d, 15)), Beijing(2026, 1, 5));
        Assert.Equal(new DateOnly(ey, em, ed), run.Case.Commitment!.TermEnds);
    }

    [Fact]
    public void Delivery_EndingOnAHoliday_DoesNotRollOver()
    {
        // 程序规定 §35: a period during which liberty is restricted ends on its last day, holiday or not. 2026-10-01 is 国庆.
        var run = new CaseRun();
        run.Accept(Committal(new DateOnly(2026, 9, 30), Beijing(2026, 9, 30, 15)), Beijing(2026, 9, 30, 16));
        Assert.Equal(new DateOnly(2026, 10, 1), run.Deadline(DeadlineStep.Delivery).LastDay);
    }

    [Fact]
    public void Delivery_PerProvince_IsASetting()
    {
        var run = new CaseRun { Regional = new Dictionary<string, HandoffPolicy> { ["44"] = new() { DeliveryDays = 3, Source = "粤示例" } } };
        run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        Assert.Equal(new DateOnly(2026, 3, 13), run.Deadline(DeadlineStep.Delivery).LastDay);
        Assert.Contains("粤示例", run.Deadline(DeadlineStep.Delivery).Rule);
    }

    [Fact]
    public void Delivery_Late_EscalatesToTheDecidingOrganThenItsSupervisors()
    {
        var run = new CaseRun();
        run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));

        run.Accept(new Tick(), Beijing(2026, 3, 11, 23, 59));
        Assert.DoesNotContain(run.Case.Escalations, e => e.Kind == EscalationKind.NotDelivered);

        run.Accept(new Tick(), Beijing(2026, 3, 12, 0, 1));
        var late = run.Escalation(EscalationKind.NotDelivered);
        Assert.Equal([Authority], late.Recipients.Select(r => r.OrganisationId));
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Delivery).Status);

        run.Accept(new Tick(), Beijing(2026, 3, 13, 0, 1));
        Assert.Equal(2, run.Escalation(EscalationKind.NotDelivered).Level);
        Assert.Contains(run.Escalation(EscalationKind.NotDelivered).Recipients, r => r.OrganisationId == CitySupervisor);
        // A 戒毒管理局 oversees centres only: a deciding organ's delivery is not its business.
        run.Accept(new Tick(), Beijing(2026, 3, 14, 0, 1));
        Assert.DoesNotContain(run.Escalation(EscalationKind.NotDelivered).Recipients, r => r.OrganisationId == CentreBureau);
        Assert.Contains(run.Escalation(EscalationKind.NotDelivered).Recipients, r => r.OrganisationId == ProvinceSupervisor);
    }

    [Fact]
    public void Intake_OnTime_MeetsTheDeliveryAndOpensTheTransferWindow()
    {
        var run = new CaseRun();
        run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        var decision = run.Accept(new RecordIntake(As(PublicSecurityCentre), Beijing(2026, 3, 11, 10)), Beijing(2026, 3, 11, 10, 5));

        Assert.Equal(CaseState.InCentre, run.Case.State);
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.Delivery).Status);
        var transfer = run.Deadline(DeadlineStep.Transfer);
        Assert.Equal(new DateOnly(2026, 6, 11), transfer.OpensOn);
        Assert.Equal(new DateOnly(2026, 9, 11), transfer.LastDay);
        Assert.Equal([Authority], decision.Notices.Select(n => n.RecipientId));
    }

    [Fact]
    public void Intake_AtAJusticeCentre_HasNoTransfer()
    {
        var run = new CaseRun();
        run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15), centre: Centre), Beijing(2026, 3, 10, 16));
        run.Accept(new RecordIntake(As(Centre), Beijing(2026, 3, 11, 10)), Beijing(2026, 3, 11, 10, 5));
        Assert.Null(run.Case.DeadlineFor(DeadlineStep.Transfer));
    }

    [Fact]
    public void Intake_ByAnotherCentre_IsForbidden_AndBeforeServiceIsInvalid()
    {
        var run = new CaseRun();
        run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        Assert.Equal(RejectionKind.Forbidden, run.Do(new RecordIntake(As(Centre), Beijing(2026, 3, 11, 10)), Beijing(2026, 3, 11, 11)).Rejection!.Kind);
        var early = run.Do(new RecordIntake(As(PublicSecurityCentre), Beijing(2026, 3, 9, 10)), Beijing(2026, 3, 11, 11)).Rejection!;
        Assert.Equal(("intakeAt", "before-decision-served"), (early.Field, early.Code));
    }

    [Fact]
    public void IntakeRefused_GoesBackToTheDecidingOrganAndItsSupervisors_AndARedirectEndsIt()
    {
        var run = new CaseRun();
        run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        var refused = run.Accept(new RefuseIntake(As(PublicSecurityCentre), "患有严重疾病，生活不能自理"), Beijing(2026, 3, 10, 20));

        var escalation = run.Escalation(EscalationKind.IntakeRefused);
        Assert.Equal([Authority, CitySupervisor], escalation.Recipients.Select(r => r.OrganisationId));
        Assert.Contains(refused.Notices, n => n.RecipientId == Authority && n.Body.Contains("患有严重疾病"));
        Assert.Equal("患有严重疾病，生活不能自理", Assert.Single(run.Case.Commitment!.Refusals).Reason);

        var noReason = run.Do(new RefuseIntake(As(PublicSecurityCentre), " "), Beijing(2026, 3, 10, 21)).Rejection!;
        Assert.Equal(("reason", "required"), (noReason.Field, noReason.Code));

        var redirected = run.Accept(new RedirectDelivery(As(Authority), Centre, "改送司法行政戒毒所"), Beijing(2026, 3, 11, 9));
        Assert.Equal(Centre, run.Case.CentreId);
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.IntakeRefused).Status);
        Assert.Equal(new DateOnly(2026, 3, 12), run.Deadline(DeadlineStep.Delivery).LastDay);
        Assert.Contains(redirected.Notices, n => n.RecipientId == Centre && n.Kind == NoticeKind.Delivery);
    }

    [Fact]
    public void DecisionNotices_NotRecordedIn24Hours_Escalate_AndRecordingResolves()
    {
        var run = new CaseRun();
        run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        run.Accept(new Tick(), Beijing(2026, 3, 11, 15, 1));
        Assert.Equal([Authority], run.Escalation(EscalationKind.NotNotified).Recipients.Select(r => r.OrganisationId));

        run.Accept(new RecordDecisionNotices(As(Authority), Beijing(2026, 3, 11, 16)), Beijing(2026, 3, 11, 16, 5));
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NotNotified).Status);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.DecisionNotices).Status);
    }

    [Fact]
    public void Decision_ByAnythingButADecidingOrgan_IsForbidden_AndEveryFieldIsChecked()
    {
        var forbidden = CaseWorkflow.Decide(null, Committal(DecidedOn, Beijing(2026, 3, 10, 15)) with { By = As(Centre) }, Context(Beijing(2026, 3, 10, 16)));
        Assert.Equal(RejectionKind.Forbidden, forbidden.Rejection!.Kind);

        var bad = Committal(new DateOnly(2026, 3, 12), Beijing(2026, 3, 9, 15), centre: Office) with { DecisionNumber = "" };
        // A decision day after today, and a service before that day: both dates are at fault.
        var problems = bad.Problems(Context(Beijing(2026, 3, 10, 16)));
        Assert.Equal(["decisionNumber", "centreId", "decidedOn", "servedAt"], problems.Select(p => p.Field));
    }

    [Fact]
    public void ReleaseHandoffCommands_OnAFileFromTheDecision_FollowTheTerm()
    {
        var run = new CaseRun();
        run.Accept(Committal(DecidedOn, Beijing(2026, 3, 10, 15), centre: Centre), Beijing(2026, 3, 10, 16));
        run.Accept(new RecordIntake(As(Centre), Beijing(2026, 3, 11, 10)), Beijing(2026, 3, 11, 10, 5));
        Assert.Equal("term-governs", run.Do(new PostponeRelease(As(Centre), new DateOnly(2028, 6, 1), null), Beijing(2026, 4, 1)).Rejection!.Code);
        Assert.Equal("term-governs", run.Do(new CancelRelease(As(Centre), null), Beijing(2026, 4, 1)).Rejection!.Code);
        Assert.Equal("release-notice-not-sent",
            run.Do(new RecordRelease(As(Centre), Beijing(2026, 4, 1), new CollectedBy(CollectorKind.Family, "张三")), Beijing(2026, 4, 1)).Rejection!.Code);
    }

    private static DateTimeOffset ChinaEnd(int y, int m, int d) => Handoff.Core.Time.ChinaTime.EndOfDay(new DateOnly(y, m, d));
}
