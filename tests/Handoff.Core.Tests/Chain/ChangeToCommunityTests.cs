using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Chain;

/// <summary>戒毒条例 31②: a person out for treatment whose health no longer allows the return, changed into 社区戒毒, the term served credited.</summary>
public class ChangeToCommunityTests
{
    /// <summary>Decided 2025-03-10, taken into the justice centre the next day, out for treatment since 2026-05-01.</summary>
    private static CaseRun OutForTreatment()
    {
        var run = new CaseRun();
        run.Accept(Committal(new DateOnly(2025, 3, 10), Beijing(2025, 3, 10, 15), centre: Centre), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordDecisionNotices(As(Authority), Beijing(2025, 3, 10, 18)), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordIntake(As(Centre), Beijing(2025, 3, 11, 10)), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordMedicalLeave(As(Centre), Beijing(2026, 5, 1, 9), "肝功能衰竭住院"), Beijing(2026, 5, 1, 9, 30));
        return run;
    }

    [Fact]
    public void Approved_TheFileGoesOnAsA社区戒毒Order_WithTheTermServedCredited()
    {
        var run = OutForTreatment();
        var proposed = run.Accept(new ProposeTermChange(As(Centre), TermChangeKind.ToCommunity, default, "肝功能衰竭，不宜回所"), Beijing(2026, 5, 10, 9));
        Assert.Contains(proposed.Notices, n => n.RecipientId == Authority && n.Body.Contains("第三十一条"));
        Assert.Equal(new DateOnly(2026, 5, 17), run.Deadline(DeadlineStep.TermDecision).LastDay);
        Assert.StartsWith("戒毒条例第三十一条", run.Deadline(DeadlineStep.TermDecision).Rule);
        // Late, its escalation names the change and the article (found walking the file: it said 提前解除 and 第三十三条).
        var undecided = OutForTreatment();
        undecided.Accept(new ProposeTermChange(As(Centre), TermChangeKind.ToCommunity, default, "不宜回所"), Beijing(2026, 5, 10, 9));
        var late = undecided.Accept(new Tick(), Beijing(2026, 5, 18, 9));
        Assert.Contains(late.Notices, n => n.Kind == NoticeKind.Escalation && n.Body.Contains("变更为社区戒毒意见") && n.Body.Contains("第三十一条"));
        // Approval names where it is executed: the generic decision refuses it.
        Assert.Equal("use-community-change", run.Do(new DecideTermChange(As(Authority), true, Beijing(2026, 5, 12, 9), null), Beijing(2026, 5, 12, 9)).Rejection!.Code);

        var changed = run.Accept(new ChangeToCommunityDetox(As(Authority), "梅公（禁）变字〔2026〕2号", Beijing(2026, 5, 12, 15), Office, Police), Beijing(2026, 5, 12, 16));
        Assert.Equal(CaseState.Ordered, run.Case.State);
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.TermDecision).Status);
        Assert.Equal(DeadlineStatus.Withdrawn, run.Deadline(DeadlineStep.Release).Status);
        Assert.Equal(new DateOnly(2026, 5, 27), run.Deadline(DeadlineStep.Report).LastDay);
        Assert.Equal(428, run.Case.Community!.DaysCredited);
        Assert.Contains(changed.Notices, n => n.RecipientId == Office && n.Kind == NoticeKind.CommunityOrder && n.Body.Contains("428日折抵"));
        Assert.Null(CaseWorkflow.NextDueAt(run.Case) is { } next && next < run.Deadline(DeadlineStep.Acknowledgement).DueAt ? next : null);

        run.Accept(new RecordReport(As(Office), Beijing(2026, 5, 15, 10)), Beijing(2026, 5, 15, 10, 5));
        // Three years from the report, less the 428 days served.
        Assert.Equal(new DateOnly(2029, 5, 15).AddDays(-428), run.Deadline(DeadlineStep.Expiry).LastDay);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(run.Case, Handoff.Core.Serialization.CoreJson.Options),
            System.Text.Json.JsonSerializer.Serialize(CaseWorkflow.Fold(run.History), Handoff.Core.Serialization.CoreJson.Options));
    }

    [Fact]
    public void NotOutForTreatment_IsRefused_AndANoKeepsThePersonInTheCentre()
    {
        var run = new CaseRun();
        run.Accept(Committal(new DateOnly(2025, 3, 10), Beijing(2025, 3, 10, 15), centre: Centre), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordIntake(As(Centre), Beijing(2025, 3, 11, 10)), Beijing(2026, 1, 5, 9));
        Assert.Equal("not-out-for-treatment", run.Do(new ProposeTermChange(As(Centre), TermChangeKind.ToCommunity, default, "病情"), Beijing(2026, 1, 6, 9)).Rejection!.Code);

        var treated = OutForTreatment();
        treated.Accept(new ProposeTermChange(As(Centre), TermChangeKind.ToCommunity, default, "病情"), Beijing(2026, 5, 10, 9));
        treated.Accept(new DecideTermChange(As(Authority), false, Beijing(2026, 5, 12, 9), "可回所治疗"), Beijing(2026, 5, 12, 9));
        Assert.Null(treated.Case.Community);
        Assert.Equal(new DateOnly(2027, 3, 10), treated.Case.ReleaseDate);
        Assert.Equal("no-proposal", treated.Do(new ChangeToCommunityDetox(As(Authority), "号", Beijing(2026, 5, 12, 15), Office, Police), Beijing(2026, 5, 12, 16)).Rejection!.Code);
    }
}
