using Handoff.Core.Cases;
using Handoff.Core.Execution;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Execution;

/// <summary>社区戒毒 orders (禁毒法 33; 戒毒条例 13–16): the order, the 15 days to report, the refusal, the agreement.</summary>
public class CommunityOrderTests
{
    /// <summary>Ordered and served on 2026-09-16: day 15 is 2026-10-01, National Day.</summary>
    private static CaseRun Ordered()
    {
        var run = new CaseRun();
        run.Accept(CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 16, 10)), Beijing(2026, 9, 16, 11));
        return run;
    }

    [Fact]
    public void Order_OpensTheFile_TellsTheOfficeAndPolice_AndTheReportPeriodRollsOverTheHoliday()
    {
        var run = Ordered();
        Assert.Equal(CaseState.Ordered, run.Case.State);
        Assert.Null(run.Case.CentreId);
        Assert.Equal(CommunityKind.Detox, run.Case.Community!.Kind);
        Assert.Equal(new[] { Office, Police }, run.Notices.Where(n => n.Kind == NoticeKind.CommunityOrder).Select(n => n.RecipientId));
        // 15 days from service end on 10-01, a holiday: the person is at liberty, so the period rolls to the first working day (程序规定 §35).
        Assert.Equal(new DateOnly(2026, 10, 8), run.Deadline(DeadlineStep.Report).LastDay);
        Assert.Contains("2026年10月8日", run.Notices.First(n => n.RecipientId == Office).Body);
        Assert.Equal(DeadlineStatus.Open, run.Deadline(DeadlineStep.Acknowledgement).Status);
    }

    [Fact]
    public void NoReport_CountsAsRefusal_EscalatedToOfficePoliceAndDecidingOrgan_AndTheOfficeMustReportIt()
    {
        var run = Ordered();
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 9, 16, 15));
        run.Accept(new Tick(), Beijing(2026, 10, 8, 23, 59));
        Assert.Equal(CaseState.Ordered, run.Case.State);

        var missed = run.Accept(new Tick(), Beijing(2026, 10, 9, 0, 1));
        Assert.Equal(CaseState.LostContact, run.Case.State);
        var escalation = run.Escalation(EscalationKind.NotReported);
        Assert.Equal(new[] { Office, Police, Authority }.Order(), escalation.Recipients.Select(r => r.OrganisationId).Order());
        Assert.Contains(missed.Notices, n => n.Kind == NoticeKind.Escalation && n.Body.Contains("视为拒绝接受社区戒毒"));
        Assert.Equal([ViolationGround.Refusal], run.Case.Community!.Grounds);
        Assert.Contains(missed.Notices, n => n.Kind == NoticeKind.Violation && n.RecipientId == Police);
        var duty = run.Deadline(DeadlineStep.ViolationReport);
        Assert.Equal(new DateOnly(2026, 10, 12), duty.LastDay);

        // Not reported to the police in time: escalated to the office's supervisors' ladder, starting with the office.
        run.Accept(new Tick(), Beijing(2026, 10, 13, 0, 1));
        Assert.Equal(Office, Assert.Single(run.Escalation(EscalationKind.ViolationNotReported).Recipients, r => r.Level == 1).OrganisationId);

        var reported = run.Accept(new ReportViolation(As(Office), Beijing(2026, 10, 13, 9)), Beijing(2026, 10, 13, 9, 5));
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.ViolationNotReported).Status);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.ViolationReport).Status);
        Assert.Contains(reported.Notices, n => n.Kind == NoticeKind.Violation && n.RecipientId == Authority && n.Body.Contains("视为拒绝"));
        // The same report again changes nothing.
        Assert.Empty(run.Accept(new ReportViolation(As(Office), Beijing(2026, 10, 13, 9)), Beijing(2026, 10, 13, 10)).Events);
    }

    [Fact]
    public void LateReport_StillStartsThePeriod_FromTheReport_AndTheDeadlineStaysMissed()
    {
        var run = Ordered();
        run.Accept(new Tick(), Beijing(2026, 10, 9, 1));
        run.Accept(new RecordReport(As(Office), Beijing(2026, 10, 12, 10)), Beijing(2026, 10, 12, 10, 5));

        Assert.Equal(CaseState.Reported, run.Case.State);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Report).Status);
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NotReported).Status);
        // 戒毒条例 14②: three years from the report.
        Assert.Equal(new DateOnly(2026, 10, 12), run.Case.Community!.StartedOn);
        Assert.Equal(new DateOnly(2029, 10, 12), run.Deadline(DeadlineStep.Expiry).LastDay);

        run.Accept(new RecordAgreement(As(Office), Beijing(2026, 10, 13, 10)), Beijing(2026, 10, 13, 10, 5));
        Assert.Equal(CaseState.AgreementSigned, run.Case.State);
        Assert.False(run.Case.IsClosed);
    }

    [Fact]
    public void ReportOnTime_EnteredAfterThePeriod_DisprovesTheRefusal_AndTheDutyToReportIt()
    {
        // Found writing the orchestration tests: an office entering a file after the fact (the report on 10-01, typed in on 10-12) left the
        // person marked "视为拒绝" and the office owing the police a report of a refusal that never happened.
        var run = Ordered();
        run.Accept(new Tick(), Beijing(2026, 10, 9, 1));
        Assert.Equal([ViolationGround.Refusal], run.Case.Community!.Grounds);

        var entered = run.Accept(new RecordReport(As(Office), Beijing(2026, 9, 28, 10)), Beijing(2026, 10, 12, 10));
        Assert.Empty(run.Case.Community!.Grounds);
        Assert.Equal(DeadlineStatus.Withdrawn, run.Deadline(DeadlineStep.ViolationReport).Status);
        Assert.Contains(entered.Notices, n => n.RecipientId == Police && n.Body.Contains("予以更正"));
        // The report deadline itself stays missed: the escalation was right to go out, the system could not know.
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Report).Status);
        Assert.Equal(new DateOnly(2026, 9, 28), run.Case.Community.StartedOn);
    }

    [Fact]
    public void ReportOnTime_BeforeTheOrderWasServed_IsRefused()
    {
        var run = Ordered();
        Assert.Equal("before-order", run.Do(new RecordReport(As(Office), Beijing(2026, 9, 15, 10)), Beijing(2026, 9, 17)).Rejection!.Code);
        Assert.Equal("forbidden", run.Do(new RecordReport(As(OtherOffice), Beijing(2026, 9, 17, 10)), Beijing(2026, 9, 17, 11)).Rejection!.Code);
    }

    [Fact]
    public void Order_RefusesAnOfficeAwayFromThePerson_AndAnOrderServedBeforeItsDay()
    {
        var order = CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 15, 10)) with { OfficeId = OtherOffice };
        var problems = order.Problems(Context(Beijing(2026, 9, 16, 11)));
        Assert.Contains(problems, p => p.Field == "officeId" && p.Code == "office-not-at-residence");
        Assert.Contains(problems, p => p.Field == "servedAt" && p.Code == "before-decision");
        Assert.Equal("forbidden", new CaseRun().Do(CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 16, 10)) with { By = As(Office) }, Beijing(2026, 9, 16, 11)).Rejection!.Code);
    }

    [Fact]
    public void ProvincialReportPeriod_IsUsed_ButNeverMoreThanTheLaws15()
    {
        // 浙江 §37: 2 days (at most 15 when far away) — a setting of the office's province.
        var run = new CaseRun { Regional = new Dictionary<string, HandoffPolicy> { ["44"] = new() { CommunityReportDays = 2 } } };
        run.Accept(CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 16, 10)), Beijing(2026, 9, 16, 11));
        Assert.Equal(new DateOnly(2026, 9, 18), run.Deadline(DeadlineStep.Report).LastDay);
        Assert.Contains(new HandoffPolicy { CommunityReportDays = 16 }.Validate(), e => e.Setting == nameof(HandoffPolicy.CommunityReportDays));
    }
}
