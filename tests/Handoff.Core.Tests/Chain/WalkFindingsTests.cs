using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Statistics;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Chain;

/// <summary>Defects found by walking the chain's pages as its users, each pinned in the core.</summary>
public class WalkFindingsTests
{
    private static CaseRun InPublicSecurityCentre()
    {
        var run = new CaseRun();
        run.Accept(Committal(new DateOnly(2026, 3, 10), Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        run.Accept(new RecordIntake(As(PublicSecurityCentre), Beijing(2026, 3, 11, 10)), Beijing(2026, 3, 11, 10, 5));
        return run;
    }

    [Fact]
    public void ReleaseNotice_FromAPublicSecurityCentreThatOwesTheTransfer_IsRefused()
    {
        // Found walking the pages: sent right after the intake, the notice made the case 待出所 and the transfer impossible, its deadline
        // open for ever.
        var run = InPublicSecurityCentre();
        var refused = run.Do(new SendReleaseNotice(As(PublicSecurityCentre), Office, Police, 3), Beijing(2026, 3, 12)).Rejection!;
        Assert.Equal("transfer-owed", refused.Code);
    }

    [Fact]
    public void EarlyRelease_ApprovedAfterTheNotice_MovesTheNoticeToTheNewDate()
    {
        // Found walking the pages: the release moved from 2027-03-10 to 2026-09-30 but 提前通知 still said 2027-03-07 按时完成.
        var run = new CaseRun();
        run.Accept(Committal(new DateOnly(2025, 3, 10), Beijing(2025, 3, 10, 15), centre: Centre), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordIntake(As(Centre), Beijing(2025, 3, 11, 10)), Beijing(2026, 1, 5, 9));
        run.Accept(new SendReleaseNotice(As(Centre), Office, Police, 3), Beijing(2026, 9, 1, 9));
        run.Accept(new ProposeTermChange(As(Centre), TermChangeKind.EarlyRelease, new DateOnly(2026, 9, 30), "诊断评估合格"), Beijing(2026, 9, 2, 9));
        run.Accept(new DecideTermChange(As(Authority), true, Beijing(2026, 9, 3, 9), null), Beijing(2026, 9, 3, 9));

        var notice = run.Deadline(DeadlineStep.Notice);
        Assert.Equal(new DateOnly(2026, 9, 27), notice.LastDay);
        Assert.Equal(DeadlineStatus.Met, notice.Status);
        Assert.Equal(Beijing(2026, 9, 3, 9), notice.CompletedAt); // the date-change notice that told the office
    }

    [Fact]
    public void IntakeRefusal_Repeated_WithAnotherReason_IsAConflict_NotASecondRefusal()
    {
        // Found walking the pages: refusing again made a second refusal and a second round of 督办 notices.
        var fresh = new CaseRun();
        fresh.Accept(Committal(new DateOnly(2026, 3, 10), Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        fresh.Accept(new RefuseIntake(As(PublicSecurityCentre), "患有严重疾病"), Beijing(2026, 3, 10, 17));
        var again = fresh.Do(new RefuseIntake(As(PublicSecurityCentre), "另一理由"), Beijing(2026, 3, 10, 18));
        Assert.Equal("already-refused", again.Rejection!.Code);
        var same = fresh.Accept(new RefuseIntake(As(PublicSecurityCentre), "患有严重疾病"), Beijing(2026, 3, 10, 18));
        Assert.Empty(same.Events);
        Assert.Single(fresh.Case.Commitment!.Refusals);
    }

    [Fact]
    public void Sums_CountTheEscalationsBeforeTheRelease_WhereTheFileIs()
    {
        // Found walking the pages: the dashboard's 督办中 by kind showed none of the chain's escalations (they counted against an office
        // the file does not have yet).
        var run = new CaseRun();
        run.Accept(Committal(new DateOnly(2026, 3, 10), Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        run.Accept(new Tick(), Beijing(2026, 3, 12, 0, 1));

        var sums = new RegionSums();
        sums.AddNow(CaseFacts.From(run.Case), UnitRoles.Centre);
        Assert.Contains(sums.OpenEscalations, kv => kv.Key.StartsWith("not-delivered/", StringComparison.Ordinal));
    }
}
