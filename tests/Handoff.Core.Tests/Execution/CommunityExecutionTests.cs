using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Execution;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Execution;

/// <summary>The community period (戒毒条例 19–24, 37–40): tests, absences, the thresholds of 条例 20, suspension, the end.</summary>
public class CommunityExecutionTests
{
    /// <summary>A 社区戒毒 order served 2026-09-16, reported 09-20, agreement 09-21: three years to 2029-09-20.</summary>
    private static CaseRun UnderWay()
    {
        var run = new CaseRun();
        run.Accept(CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 16, 10)), Beijing(2026, 9, 16, 11));
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 9, 16, 15));
        run.Accept(new RecordReport(As(Office), Beijing(2026, 9, 20, 10)), Beijing(2026, 9, 20, 10, 5));
        run.Accept(new RecordAgreement(As(Office), Beijing(2026, 9, 21, 10)), Beijing(2026, 9, 21, 10, 5));
        return run;
    }

    [Fact]
    public void ThreeMissedTests_WarnTheOfficeAtTheSecond_AndAtTheThirdTellThePolice_WithTheOfficesDutyToReport()
    {
        var run = UnderWay();
        run.Accept(new RecordTest(As(Office), Beijing(2026, 10, 10, 9), TestResult.Negative), Beijing(2026, 10, 10, 9, 5));
        var first = run.Accept(new RecordTest(As(Office), Beijing(2026, 11, 10, 9), TestResult.Missed), Beijing(2026, 11, 10, 9, 5));
        Assert.DoesNotContain(first.Notices, n => n.Kind == NoticeKind.ViolationWarning);
        var second = run.Accept(new RecordTest(As(Office), Beijing(2026, 12, 10, 9), TestResult.Refused), Beijing(2026, 12, 10, 9, 5));
        Assert.Equal(Office, Assert.Single(second.Notices, n => n.Kind == NoticeKind.ViolationWarning).RecipientId);
        Assert.Null(run.Case.DeadlineFor(DeadlineStep.ViolationReport));

        var third = run.Accept(new RecordTest(As(Office), Beijing(2027, 1, 11, 9), TestResult.Missed), Beijing(2027, 1, 11, 9, 5));
        Assert.Equal(3, run.Case.Community!.MissedTests);
        Assert.Equal([ViolationGround.Tests], run.Case.Community.Grounds);
        Assert.Equal(new[] { Office, Police, Authority }, third.Notices.Where(n => n.Kind == NoticeKind.Violation).Select(n => n.RecipientId));
        Assert.Contains("逃避或者拒绝接受检测3次以上", third.Notices.First(n => n.Kind == NoticeKind.Violation).Body);
        Assert.Equal(new DateOnly(2027, 1, 14), run.Deadline(DeadlineStep.ViolationReport).LastDay);

        run.Accept(new ReportViolation(As(Office), Beijing(2027, 1, 12, 9)), Beijing(2027, 1, 12, 10));
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.ViolationReport).Status);

        // A fourth does not find the ground again, nor owe another report.
        run.Accept(new RecordTest(As(Office), Beijing(2027, 2, 11, 9), TestResult.Missed), Beijing(2027, 2, 11, 9, 5));
        Assert.Single(run.Case.Community!.Grounds);
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.ViolationReport).Status);
    }

    [Fact]
    public void SameTestTwice_IsOneTest_AndAnotherResultForItIsRefused()
    {
        var run = UnderWay();
        run.Accept(new RecordTest(As(Office), Beijing(2026, 11, 10, 9), TestResult.Missed), Beijing(2026, 11, 10, 9, 5));
        Assert.Empty(run.Accept(new RecordTest(As(Office), Beijing(2026, 11, 10, 9), TestResult.Missed), Beijing(2026, 11, 10, 9, 6)).Events);
        Assert.Equal("already-recorded", run.Do(new RecordTest(As(Office), Beijing(2026, 11, 10, 9), TestResult.Negative), Beijing(2026, 11, 10, 9, 7)).Rejection!.Code);
        Assert.Equal(1, run.Case.Community!.MissedTests);
    }

    [Fact]
    public void PositiveTest_IsDrugUse_ToReport()
    {
        var run = UnderWay();
        var positive = run.Accept(new RecordTest(As(Office), Beijing(2026, 10, 10, 9), TestResult.Positive), Beijing(2026, 10, 10, 9, 5));
        Assert.Equal([ViolationGround.DrugUse], run.Case.Community!.Grounds);
        Assert.Contains(positive.Notices, n => n.Kind == NoticeKind.Violation && n.RecipientId == Authority);
    }

    [Fact]
    public void ThirtyOneDaysAway_IsReachedWhileStillAway_ThirtyIsNot()
    {
        var run = UnderWay();
        run.Accept(new RecordAbsence(As(Office), new DateOnly(2026, 10, 1), WrittenReport: true), Beijing(2026, 10, 2, 9));
        Assert.Equal(0, run.Case.Community!.Departures);
        var left = run.Accept(new RecordAbsence(As(Office), new DateOnly(2026, 11, 1), WrittenReport: false), Beijing(2026, 11, 2, 9));
        Assert.Contains(left.Notices, n => n.RecipientId == Police && n.Body.Contains("未经书面报告"));
        Assert.Equal(1, run.Case.Community!.Departures);
        Assert.Equal(new DateOnly(2026, 12, 1), run.Deadline(DeadlineStep.AwayLimit).LastDay);

        // 30 days away on 12-01: not more than 30.
        run.Accept(new Tick(), Beijing(2026, 12, 1, 23, 59));
        Assert.Empty(run.Case.Community!.Grounds);
        // 31 on 12-02.
        var reached = run.Accept(new Tick(), Beijing(2026, 12, 2, 0, 1));
        Assert.Equal([ViolationGround.DaysAway], run.Case.Community!.Grounds);
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.AwayLimit).Status);
        Assert.DoesNotContain(reached.Events, e => e is DeadlineMissed);
        Assert.Contains(reached.Notices, n => n.Kind == NoticeKind.Violation && n.Body.Contains("累计超过30日"));

        run.Accept(new EndAbsence(As(Office), new DateOnly(2026, 12, 5)), Beijing(2026, 12, 5, 10));
        Assert.Equal(34, run.Case.Community!.DaysAwayOn(new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void DaysAway_AddUpOverSeveralAbsences_AndThreeDeparturesAreAGroundOfTheirOwn()
    {
        var run = UnderWay();
        foreach (var (left, back) in new[] { ((2026, 10, 1), (2026, 10, 11)), ((2026, 11, 1), (2026, 11, 16)) })
        {
            run.Accept(new RecordAbsence(As(Office), new DateOnly(left.Item1, left.Item2, left.Item3), false), Beijing(back.Item1, back.Item2, back.Item3, 8));
            run.Accept(new EndAbsence(As(Office), new DateOnly(back.Item1, back.Item2, back.Item3)), Beijing(back.Item1, back.Item2, back.Item3, 9));
        }

        Assert.Equal(25, run.Case.Community!.DaysAwayOn(new DateOnly(2026, 12, 1)));
        run.Accept(new RecordAbsence(As(Office), new DateOnly(2026, 12, 1), false), Beijing(2026, 12, 1, 9));
        // 25 days before: the 31st day in all is 12-07.
        Assert.Equal(new DateOnly(2026, 12, 6), run.Deadline(DeadlineStep.AwayLimit).LastDay);
        Assert.Equal([ViolationGround.Departures], run.Case.Community!.Grounds);
        run.Accept(new Tick(), Beijing(2026, 12, 7, 0, 1));
        Assert.Equal([ViolationGround.Departures, ViolationGround.DaysAway], run.Case.Community!.Grounds);
    }

    [Fact]
    public void NoContact_ForThePolicyPeriod_Escalates失联_ToOfficeAndPolice_AndAnInterviewEndsIt()
    {
        var run = UnderWay();
        Assert.Equal(new DateOnly(2026, 10, 20), run.Deadline(DeadlineStep.Contact).LastDay);
        run.Accept(new Tick(), Beijing(2026, 10, 21, 0, 1));
        var escalation = run.Escalation(EscalationKind.NoContact);
        Assert.Equal(new[] { Office, Police }, escalation.Recipients.Select(r => r.OrganisationId));

        run.Accept(new RecordInterview(As(Office), Beijing(2026, 10, 22, 15)), Beijing(2026, 10, 22, 15, 5));
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NoContact).Status);
        // 30 days on is Saturday 11-21: a last day off rolls to the Monday (民法典 203).
        Assert.Equal(new DateOnly(2026, 11, 23), run.Deadline(DeadlineStep.Contact).LastDay);
    }

    [Fact]
    public void Suspension_StopsThePersonsDeadlines_AndTheReleaseMovesThemAndTheEndOnByTheDaysInCustody()
    {
        var run = UnderWay();
        var contactBefore = run.Deadline(DeadlineStep.Contact);
        run.Accept(new SuspendCommunity(As(Police), SuspensionReason.Detention, Beijing(2026, 10, 1, 9)), Beijing(2026, 10, 1, 10));
        Assert.Equal(CaseState.Suspended, run.Case.State);
        Assert.True(run.Deadline(DeadlineStep.Contact).Provisional);
        Assert.Equal("suspended", run.Do(new RecordTest(As(Office), Beijing(2026, 10, 5, 9), TestResult.Negative), Beijing(2026, 10, 5, 10)).Rejection!.Code);

        // Past the contact deadline while in custody: nothing escalates.
        run.Accept(new Tick(), Beijing(2026, 10, 25, 9));
        Assert.Empty(run.Case.Escalations);

        run.Accept(new ResumeCommunity(As(Police), Beijing(2026, 10, 16, 9)), Beijing(2026, 10, 25, 10));
        Assert.Equal(CaseState.AgreementSigned, run.Case.State);
        Assert.Equal(15, run.Case.Community!.DaysSuspended);
        Assert.Equal(contactBefore.LastDay.AddDays(15), run.Deadline(DeadlineStep.Contact).LastDay);
        Assert.False(run.Deadline(DeadlineStep.Contact).Provisional);
        Assert.Equal(new DateOnly(2029, 10, 5), run.Case.Community.EndsOn);
        Assert.Equal(new DateOnly(2029, 10, 5), run.Deadline(DeadlineStep.Expiry).LastDay);
        // The contact deadline, moved, is 11-04: now (10-25) is before it.
        Assert.Empty(run.Case.Escalations);
    }

    [Fact]
    public void Expiry_EndsThePeriod_AndTheEndNoticeIsDueIn7Days_LateItEscalatesToTheDecidingOrgan()
    {
        var run = UnderWay();
        // Keep in contact to the end, so only the expiry is due.
        for (var at = Beijing(2026, 10, 15, 9); at < Beijing(2029, 9, 20); at = at.AddDays(25))
        {
            run.Accept(new RecordInterview(As(Office), at), at.AddMinutes(5));
        }

        var expired = run.Accept(new Tick(), Beijing(2029, 9, 21, 0, 1));
        Assert.Equal(CaseState.Ended, run.Case.State);
        Assert.Equal(CommunityEnd.Expired, run.Case.Community!.EndReason);
        Assert.Equal(DeadlineStatus.Withdrawn, run.Deadline(DeadlineStep.Contact).Status);
        Assert.Contains(expired.Notices, n => n.Kind == NoticeKind.CommunityEnded && n.RecipientId == Authority);
        Assert.Equal(new DateOnly(2029, 9, 27), run.Deadline(DeadlineStep.EndNotice).LastDay);
        Assert.False(run.Case.IsClosed);

        run.Accept(new Tick(), Beijing(2029, 9, 28, 0, 1));
        Assert.Equal(Authority, run.Escalation(EscalationKind.EndNoticeLate).Recipients.Single().OrganisationId);

        var served = run.Accept(new RecordEndNotice(As(Authority), Beijing(2029, 9, 28, 9), Beijing(2029, 9, 28, 10)), Beijing(2029, 9, 28, 11));
        Assert.Contains(served.Notices, n => n.RecipientId == Office && n.Body.Contains("不再实行动态管控"));
        Assert.True(run.Case.IsClosed);
        Assert.Equal(new DateOnly(2032, 9, 20), run.Case.Community!.DynamicControlEndsOn);
    }

    [Fact]
    public void Chongqing_TheOfficesMaterialsForThe解除_AreDue7WorkingDaysBeforeTheEnd()
    {
        // 重庆 §37, a setting of the office's province (here set for 44 to use the test directory). Ends 2029-09-20 (a Thursday).
        var run = new CaseRun { Regional = new Dictionary<string, HandoffPolicy> { ["44"] = new() { EndMaterialsWorkingDays = 7 } } };
        run.Accept(CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 16, 10)), Beijing(2026, 9, 16, 11));
        run.Accept(new RecordReport(As(Office), Beijing(2026, 9, 20, 10)), Beijing(2026, 9, 20, 10, 5));
        var materials = run.Deadline(DeadlineStep.EndMaterials);
        Assert.True(materials.LastDay < new DateOnly(2029, 9, 20));
        Assert.False(materials.CalendarConfirmed); // 2029 has no holiday file: weekends only, flagged
        Assert.Equal("forbidden", run.Do(new SendEndMaterials(As(Police), Beijing(2026, 9, 21)), Beijing(2026, 9, 21)).Rejection!.Code);
        run.Accept(new SendEndMaterials(As(Office), Beijing(2029, 9, 5, 9)), Beijing(2029, 9, 5, 9));
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.EndMaterials).Status);

        // Elsewhere there is no such deadline, and the step says why.
        var national = UnderWay();
        Assert.Null(national.Case.DeadlineFor(DeadlineStep.EndMaterials));
        Assert.Equal("no-end-materials", national.Do(new SendEndMaterials(As(Office), Beijing(2026, 10, 1)), Beijing(2026, 10, 1)).Rejection!.Code);
    }

    [Fact]
    public void Sentence_TerminatesThePeriod_AndClosesTheFile()
    {
        var run = UnderWay();
        run.Accept(new TerminateCommunity(As(Police), CommunityEnd.Sentenced, new DateOnly(2027, 3, 1)), Beijing(2027, 3, 1, 9));
        Assert.Equal(CaseState.Ended, run.Case.State);
        Assert.True(run.Case.IsClosed);
        Assert.Null(CaseWorkflow.NextDueAt(run.Case));
        Assert.Equal("invalid-reason", run.Do(new TerminateCommunity(As(Police), CommunityEnd.Expired, new DateOnly(2027, 3, 1)), Beijing(2027, 3, 1, 9)).Rejection!.Code);
    }

    [Fact]
    public void NewDecision_AfterASeriousViolation_StartsTheChainAgainInTheSameFile()
    {
        var run = UnderWay();
        run.Accept(new RecordTest(As(Office), Beijing(2026, 10, 10, 9), TestResult.Positive), Beijing(2026, 10, 10, 9, 5));
        run.Accept(new ReportViolation(As(Office), Beijing(2026, 10, 10, 11)), Beijing(2026, 10, 10, 11, 5));

        var decided = run.Accept(new RecordRecommitment(As(Authority), "梅公（禁）决字〔2026〕99号", new DateOnly(2026, 10, 12), Beijing(2026, 10, 12, 15), PublicSecurityCentre),
            Beijing(2026, 10, 12, 16));
        Assert.Equal("HO-TEST-1", run.Case.CaseId);
        Assert.Equal(CaseState.Decided, run.Case.State);
        // The period ended is kept apart: a later 社区康复 is a new period, not this one's continuation.
        Assert.Null(run.Case.Community);
        Assert.Equal(CommunityEnd.Recommitted, Assert.Single(run.Case.EndedCommunities).EndReason);
        Assert.Equal(new DateOnly(2028, 10, 12), run.Case.ReleaseDate);
        Assert.Equal(DeadlineStatus.Open, run.Deadline(DeadlineStep.Delivery).Status);
        Assert.Null(run.Case.DeadlineFor(DeadlineStep.Contact));
        Assert.Contains(decided.Notices, n => n.RecipientId == PublicSecurityCentre && n.Body.Contains("检测结果呈阳性"));
        Assert.Contains(Office, run.Case.Parties);

        run.Accept(new RecordIntake(As(PublicSecurityCentre), Beijing(2026, 10, 13, 9)), Beijing(2026, 10, 13, 9, 5));
        Assert.Equal(CaseState.InCentre, run.Case.State);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(run.Case, Handoff.Core.Serialization.CoreJson.Options),
            System.Text.Json.JsonSerializer.Serialize(CaseWorkflow.Fold(run.History), Handoff.Core.Serialization.CoreJson.Options));
    }

    [Fact]
    public void ReleaseCase_RehabilitationPeriod_RunsFromTheReport_ForTheYearsOrdered()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 1), rehabilitationYears: 2), Beijing(2026, 2, 20, 9));
        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 1, 9), new CollectedBy(CollectorKind.Family, "张三")), Beijing(2026, 3, 1, 9, 5));
        run.Accept(new RecordReport(As(Office), Beijing(2026, 3, 5, 10)), Beijing(2026, 3, 5, 10, 5));
        Assert.Equal(CommunityKind.Rehabilitation, run.Case.Community!.Kind);
        Assert.Equal(new DateOnly(2028, 3, 5), run.Deadline(DeadlineStep.Expiry).LastDay);
        Assert.Contains("第四十条", run.Deadline(DeadlineStep.Expiry).Rule);
    }
}
