using Handoff.Core.Cases;
using Handoff.Core.Execution;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Execution;

/// <summary>Defects a review of the community period found, each reproduced here first (its scenario in its name).</summary>
public class ReviewFindingsTests
{
    /// <summary>A 社区戒毒 order served 2026-09-16, acknowledged, reported 09-20, agreement 09-21.</summary>
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
    public void ATestEnteredLate_DatedBeforeTheLastInterview_NeverMovesTheContactDeadlineBack()
    {
        var run = UnderWay();
        run.Accept(new RecordInterview(As(Office), Beijing(2026, 10, 9, 10)), Beijing(2026, 10, 9, 10, 5));
        var due = run.Deadline(DeadlineStep.Contact).DueAt;
        // On 11-02 the office enters a paper test of 09-22: the deadline stays 30 days from the interview, and nobody is 失联.
        run.Accept(new RecordTest(As(Office), Beijing(2026, 9, 22, 9), TestResult.Negative), Beijing(2026, 11, 2, 9));
        Assert.Equal(due, run.Deadline(DeadlineStep.Contact).DueAt);
        Assert.DoesNotContain(run.Case.Escalations, e => e.Kind == EscalationKind.NoContact);
    }

    [Fact]
    public void AReportBeforeTheOfficeAcknowledgedTheOrder_TakesTheNotice_AndNothingClimbsForYears()
    {
        var run = new CaseRun();
        run.Accept(CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 16, 10)), Beijing(2026, 9, 16, 11));
        run.Accept(new RecordReport(As(Office), Beijing(2026, 9, 16, 15)), Beijing(2026, 9, 16, 15, 5));
        run.Accept(new Tick(), Beijing(2026, 9, 20, 9));
        Assert.NotEqual(DeadlineStatus.Open, run.Deadline(DeadlineStep.Acknowledgement).Status);
        Assert.DoesNotContain(run.Case.Escalations, e => e.Kind == EscalationKind.NotAcknowledged);
    }

    [Fact]
    public void DetainedWhileAwayWithoutLeave_DaysInCustodyAreNotDaysAway()
    {
        var run = UnderWay();
        run.Accept(new RecordAbsence(As(Office), new DateOnly(2026, 11, 1), WrittenReport: false), Beijing(2026, 11, 2, 9));
        run.Accept(new SuspendCommunity(As(Police), SuspensionReason.Detention, Beijing(2026, 11, 5, 9)), Beijing(2026, 11, 5, 10));
        run.Accept(new ResumeCommunity(As(Police), Beijing(2026, 12, 10, 9)), Beijing(2026, 12, 10, 10));
        Assert.Equal(4, run.Case.Community!.DaysAwayOn(new DateOnly(2026, 12, 11)));
        Assert.DoesNotContain(ViolationGround.DaysAway, run.Case.Community.Grounds);
    }

    [Fact]
    public void TheSameCustodyRecordedAgainByAnotherParty_IsNotCountedTwice()
    {
        var run = UnderWay();
        run.Accept(new SuspendCommunity(As(Office), SuspensionReason.Detention, Beijing(2026, 11, 1, 9)), Beijing(2026, 11, 1, 10));
        run.Accept(new ResumeCommunity(As(Office), Beijing(2026, 11, 10, 9)), Beijing(2026, 11, 10, 10));
        Assert.Equal("suspension-overlaps", run.Do(new SuspendCommunity(As(Police), SuspensionReason.Detention, Beijing(2026, 11, 1, 9)), Beijing(2026, 11, 11, 10)).Rejection!.Code);
        Assert.Equal(9, run.Case.Community!.DaysSuspended);
    }

    [Fact]
    public void AShortTripWithoutTheWrittenReport_IsNotADepartureWithoutLeave()
    {
        // 戒毒条例 19(三) asks for the written report only from 3 days: three one-day trips are not "擅自离开3次".
        var run = UnderWay();
        foreach (var day in new[] { 1, 8, 15 })
        {
            run.Accept(new RecordAbsence(As(Office), new DateOnly(2026, 11, day), false), Beijing(2026, 11, day + 1, 9));
            run.Accept(new EndAbsence(As(Office), new DateOnly(2026, 11, day + 1)), Beijing(2026, 11, day + 1, 10));
        }

        Assert.Equal(0, run.Case.Community!.Departures);
        Assert.Empty(run.Case.Community.Grounds);
        Assert.Null(run.Case.DeadlineFor(DeadlineStep.ViolationReport) is { Status: DeadlineStatus.Open } open ? open : null);
    }

    [Fact]
    public void ThePersonReportsAtTheNewOfficeBeforeItAcknowledges_TheLateFileIsNoLongerOpen()
    {
        var run = UnderWay();
        run.Accept(new RecordInterview(As(Office), Beijing(2026, 10, 15, 10)), Beijing(2026, 10, 15, 10, 5));
        run.Accept(new SendPlaceChange(As(Office), OtherOffice, null, new DateOnly(2026, 10, 20), Beijing(2026, 11, 3, 9)), Beijing(2026, 11, 3, 9, 5));
        Assert.Equal(Office, run.Escalation(EscalationKind.FileLate).Recipients[0].OrganisationId);
        run.Accept(new RecordReport(As(OtherOffice), Beijing(2026, 11, 4, 10)), Beijing(2026, 11, 4, 10, 5));
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.FileLate).Status);
    }

    [Fact]
    public void APendingChangeOfPlace_EndsWithThePeriod_AndTheNewOfficeCannotTakeThePersonAfterIt()
    {
        var run = UnderWay();
        run.Accept(new RecordInterview(As(Office), Beijing(2026, 10, 15, 10)), Beijing(2026, 10, 15, 10, 5));
        run.Accept(new SendPlaceChange(As(Office), OtherOffice, null, new DateOnly(2026, 11, 2), Beijing(2026, 11, 3, 9)), Beijing(2026, 11, 3, 9, 5));
        run.Accept(new TerminateCommunity(As(Police), CommunityEnd.Sentenced, new DateOnly(2026, 11, 4)), Beijing(2026, 11, 4, 9));
        Assert.Null(run.Case.Community!.Move);
        Assert.True(run.Case.IsClosed);
        Assert.NotNull(run.Do(new RecordReport(As(OtherOffice), Beijing(2026, 11, 5, 10)), Beijing(2026, 11, 5, 10)).Rejection);
    }

    [Fact]
    public void AfterANewDecision_The社区康复OrderedAtTheNextRelease_IsANewPeriod_NotTheRefusedOrder()
    {
        // Refused the 社区戒毒 order, decided 强制隔离戒毒, released two years on with one year of 社区康复: the report starts 社区康复 for one
        // year, counted from the release — not the old order's three years, and no "correction" of the refusal that led to the decision.
        var run = new CaseRun();
        run.Accept(CommunityOrder(new DateOnly(2026, 3, 2), Beijing(2026, 3, 2, 10)), Beijing(2026, 3, 2, 11));
        run.Accept(new Tick(), Beijing(2026, 3, 20, 9));
        run.Accept(new RecordRecommitment(As(Authority), "梅公（禁）决字〔2026〕30号", new DateOnly(2026, 3, 21), Beijing(2026, 3, 21, 15), Centre), Beijing(2026, 3, 21, 16));
        run.Accept(new Handoff.Core.Chain.RecordIntake(As(Centre), Beijing(2026, 3, 22, 10)), Beijing(2026, 3, 22, 10, 5));
        run.Accept(new Handoff.Core.Chain.SendReleaseNotice(As(Centre), Office, Police, 1), Beijing(2028, 3, 1, 9));
        run.Accept(new RecordRelease(As(Centre), Beijing(2028, 3, 21, 9), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2028, 3, 21, 9, 5));
        var reported = run.Accept(new RecordReport(As(Office), Beijing(2028, 3, 25, 10)), Beijing(2028, 3, 25, 10, 5));

        Assert.Equal(CommunityKind.Rehabilitation, run.Case.Community!.Kind);
        Assert.Equal(1, run.Case.Community.Years);
        Assert.Empty(run.Case.Community.Grounds);
        Assert.DoesNotContain(reported.Events, e => e is ViolationWithdrawn);
        Assert.Equal(new DateOnly(2029, 3, 25), run.Deadline(DeadlineStep.Expiry).LastDay);
        Assert.Equal([ViolationGround.Refusal], Assert.Single(run.Case.EndedCommunities).Grounds);
    }

    [Fact]
    public void AFileWhoseAgreementWasSignedBeforeThePeriodWasKept_Closes()
    {
        // Stored by an earlier version: AgreementSigned, and no community period to run or end.
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 1)), Beijing(2026, 2, 20, 9));
        var old = run.Case with { State = CaseState.AgreementSigned, Community = null, Deadlines = [], Escalations = [] };
        Assert.True(old.IsClosed);
    }
}
