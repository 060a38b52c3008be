using Handoff.Core.Cases;
using Handoff.Core.Statistics;
using Handoff.Core.Tests.Support;
using Handoff.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Statistics;

public class CaseFactsTests
{
    [Fact]
    public void From_CancelledRegistration_CountsInNothing()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 20)), Beijing(2026, 3, 2));
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 3, 2, 10));
        run.Accept(new CancelRelease(As(Centre), "登记有误"), Beijing(2026, 3, 3));

        var sums = new RegionSums();
        sums.Add(CaseFacts.From(run.Case), UnitRoles.Both);
        sums.AddNow(CaseFacts.From(run.Case), UnitRoles.Both);

        Assert.Equal(0, sums.Registered);
        Assert.Empty(sums.Due);
    }

    [Fact]
    public void From_NobodyCollected_IsLostNow()
    {
        var run = Released(new CollectedBy(CollectorKind.None, null));

        Assert.True(CaseFacts.From(run.Case).LostNow);
    }

    [Fact]
    public void From_NobodyCollected_AndNotReported_IsLostOnce()
    {
        var run = Released(new CollectedBy(CollectorKind.None, null));
        run.Accept(new Tick(), Beijing(2026, 4, 10));
        Assert.Equal(CaseState.LostContact, run.Case.State);

        var sums = new RegionSums();
        sums.AddNow(CaseFacts.From(run.Case), UnitRoles.Both);

        Assert.Equal(1, sums.Lost);
    }

    [Fact]
    public void Execution_IsDueOnceTheOrdersReportPeriodPassedOrThePersonReported_AndMetWithTheAgreement()
    {
        // 执行率 (docs/indicators.md): reported and agreement signed ÷ orders served at least the report period ago.
        var run = new CaseRun();
        run.Accept(CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 16, 10)), Beijing(2026, 9, 16, 11));
        Assert.False(CaseFacts.From(run.Case).Steps[Measure.Execution].Due);
        run.Accept(new RecordReport(As(Office), Beijing(2026, 9, 20, 10)), Beijing(2026, 9, 20, 10));
        Assert.Equal(new StepOutcome(true, false), CaseFacts.From(run.Case).Steps[Measure.Execution]);
        run.Accept(new RecordAgreement(As(Office), Beijing(2026, 9, 21, 10)), Beijing(2026, 9, 21, 10));
        Assert.Equal(new StepOutcome(true, true), CaseFacts.From(run.Case).Steps[Measure.Execution]);

        // Suspended, it is left out of both sides; terminated too.
        run.Accept(new Handoff.Core.Execution.SuspendCommunity(As(Police), SuspensionReason.Arrest, Beijing(2026, 10, 1)), Beijing(2026, 10, 1));
        Assert.False(CaseFacts.From(run.Case).Steps[Measure.Execution].Due);
        run.Accept(new Handoff.Core.Execution.TerminateCommunity(As(Police), CommunityEnd.Sentenced, new DateOnly(2026, 12, 1)), Beijing(2026, 12, 1));
        Assert.False(CaseFacts.From(run.Case).Steps[Measure.Execution].Due);
    }

    [Fact]
    public void Refused_And失联_AreLostNow_AndAContactEndsIt()
    {
        var refused = new CaseRun();
        refused.Accept(CommunityOrder(new DateOnly(2026, 9, 1), Beijing(2026, 9, 1, 10)), Beijing(2026, 9, 1, 11));
        refused.Accept(new Tick(), Beijing(2026, 9, 20));
        Assert.True(CaseFacts.From(refused.Case).LostNow);
        Assert.Equal(new StepOutcome(true, false), CaseFacts.From(refused.Case).Steps[Measure.Execution]);
        Assert.Equal(StepOutcome.Pending, CaseFacts.From(refused.Case).Steps[Measure.ViolationReport]);

        var silent = new CaseRun();
        silent.Accept(CommunityOrder(new DateOnly(2026, 9, 1), Beijing(2026, 9, 1, 10)), Beijing(2026, 9, 1, 11));
        silent.Accept(new RecordReport(As(Office), Beijing(2026, 9, 2, 10)), Beijing(2026, 9, 2, 10));
        silent.Accept(new RecordAgreement(As(Office), Beijing(2026, 9, 2, 11)), Beijing(2026, 9, 2, 11));
        silent.Accept(new Tick(), Beijing(2026, 10, 10));
        Assert.True(CaseFacts.From(silent.Case).LostNow);
        silent.Accept(new Handoff.Core.Execution.RecordInterview(As(Office), Beijing(2026, 10, 10, 9)), Beijing(2026, 10, 10, 9));
        Assert.False(CaseFacts.From(silent.Case).LostNow);

        var sums = new RegionSums();
        sums.AddNow(CaseFacts.From(refused.Case), UnitRoles.Office);
        sums.AddNow(CaseFacts.From(silent.Case), UnitRoles.Office);
        Assert.Equal(1, sums.Lost);
    }

    [Fact]
    public void From_CollectedAndReported_IsNotLost()
    {
        var run = Released(new CollectedBy(CollectorKind.Family, "张父"));
        run.Accept(new RecordReport(As(Office), Beijing(2026, 3, 12)), Beijing(2026, 3, 12));

        Assert.False(CaseFacts.From(run.Case).LostNow);
    }

    [Fact]
    public void From_Scheduled_CountsInThePlannedReleaseMonth()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 2, 9)), Beijing(2026, 1, 27));

        Assert.Equal("2026-02", CaseFacts.From(run.Case).Month);
    }

    [Fact]
    public void From_Released_CountsInTheMonthThePersonLeft()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 31)), Beijing(2026, 3, 2));
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 3, 2, 10));
        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 4, 1, 0, 30), new CollectedBy(CollectorKind.Family, "张父")), Beijing(2026, 4, 1, 0, 30));

        Assert.Equal("2026-04", CaseFacts.From(run.Case).Month); // 00:30 Beijing time on 1 April: April, though 31 March in UTC
    }

    [Fact]
    public void Add_LateNotice_CountsAgainstTheCentreOnly()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 3)), Beijing(2026, 3, 2)); // one day ahead (戒毒条例 34: three)
        run.Accept(new Tick(), Beijing(2026, 3, 2, 9, 1));
        var facts = CaseFacts.From(run.Case);
        var office = new RegionSums();
        var centre = new RegionSums();

        office.Add(facts, UnitRoles.Office);
        centre.Add(facts, UnitRoles.Centre);
        office.AddNow(facts, UnitRoles.Office);
        centre.AddNow(facts, UnitRoles.Centre);

        Assert.Null(office.Rate(Measure.Notice));
        Assert.Equal(0.0, centre.Rate(Measure.Notice));
        Assert.Equal((1, 0), (office.Registered, office.Released));
        Assert.Equal((0, 1), (centre.Registered, centre.Released));
        Assert.Contains(centre.OpenEscalations.Keys, k => k.StartsWith("late-notice/", StringComparison.Ordinal));
        Assert.DoesNotContain(office.OpenEscalations.Keys, k => k.StartsWith("late-notice/", StringComparison.Ordinal));
    }

    [Fact]
    public void Add_BothRolesInOneRegion_CountsEachStepOnce()
    {
        var run = Released(new CollectedBy(CollectorKind.Family, "张父"));
        var facts = CaseFacts.From(run.Case);
        var both = new RegionSums();
        var apart = new RegionSums();
        var office = new RegionSums();

        both.Add(facts, UnitRoles.Both);
        apart.Add(facts, UnitRoles.Centre);
        office.Add(facts, UnitRoles.Office);
        apart = apart.Plus(office);

        foreach (var m in Enum.GetValues<Measure>())
        {
            Assert.Equal(apart.Due.GetValueOrDefault(m), both.Due.GetValueOrDefault(m));
            Assert.True(both.Due.GetValueOrDefault(m) <= 1);
        }
    }

    private static CaseRun Released(CollectedBy collectedBy)
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 10)), Beijing(2026, 3, 2));
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 3, 2, 10));
        run.Accept(new RecordRelease(As(Centre), Beijing(2026, 3, 10, 9), collectedBy), Beijing(2026, 3, 10, 9));
        return run;
    }
}
