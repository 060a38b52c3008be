using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Chain;

/// <summary>The 公安 → 司法 transfer (戒毒条例 27②③): the window, the reception or its refusal, the family notice.</summary>
public class TransferTests
{
    /// <summary>A person taken into the public-security centre on 2026-03-11.</summary>
    private static CaseRun InPublicSecurityCentre(IReadOnlyDictionary<string, HandoffPolicy>? regional = null)
    {
        var run = new CaseRun { Regional = regional };
        run.Accept(Committal(new DateOnly(2026, 3, 10), Beijing(2026, 3, 10, 15)), Beijing(2026, 3, 10, 16));
        run.Accept(new RecordIntake(As(PublicSecurityCentre), Beijing(2026, 3, 11, 10)), Beijing(2026, 3, 11, 10, 5));
        run.Accept(new RecordDecisionNotices(As(Authority), Beijing(2026, 3, 10, 18)), Beijing(2026, 3, 10, 18));
        return run;
    }

    [Fact]
    public void Transfer_InTheWindow_MetAndReceivedByTheJusticeCentre()
    {
        var run = InPublicSecurityCentre();
        var sent = run.Accept(new RecordTransfer(As(PublicSecurityCentre), Centre, Beijing(2026, 7, 1, 9)), Beijing(2026, 7, 1, 9, 5));

        Assert.Equal(CaseState.Transferring, run.Case.State);
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.Transfer).Status);
        // The sending centre answers for the person until the receiving one has received them.
        Assert.Equal(PublicSecurityCentre, run.Case.CentreId);
        Assert.Equal(new DateOnly(2026, 7, 2), run.Deadline(DeadlineStep.Reception).LastDay);
        Assert.Equal([Centre], sent.Notices.Select(n => n.RecipientId));
        Assert.Equal(NoticeKind.Transfer, sent.Notices[0].Kind);

        var received = run.Accept(new RecordReception(As(Centre), Beijing(2026, 7, 1, 15), "决定书、诊断评估记录、体检表", null), Beijing(2026, 7, 1, 15, 5));
        Assert.Equal(CaseState.InCentre, run.Case.State);
        Assert.Equal(Centre, run.Case.CentreId);
        Assert.Equal([PublicSecurityCentre, Centre], run.Case.Commitment!.Centres);
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.Reception).Status);
        Assert.Equal(new DateOnly(2026, 7, 6), run.Deadline(DeadlineStep.ReceptionNotice).LastDay);
        Assert.Equal([PublicSecurityCentre, Authority], received.Notices.Select(n => n.RecipientId));
        // The sending centre still reads the file it once held.
        Assert.Contains(PublicSecurityCentre, run.Case.Parties);
    }

    [Fact]
    public void Transfer_BeforeThreeMonths_IsRefused()
    {
        var run = InPublicSecurityCentre();
        var early = run.Do(new RecordTransfer(As(PublicSecurityCentre), Centre, Beijing(2026, 6, 10, 9)), Beijing(2026, 6, 10, 9, 5)).Rejection!;
        Assert.Equal(("transferredAt", "transfer-window-not-open"), (early.Field, early.Code));
        run.Accept(new RecordTransfer(As(PublicSecurityCentre), Centre, Beijing(2026, 6, 11, 9)), Beijing(2026, 6, 11, 9, 5));
    }

    [Fact]
    public void Transfer_ToAnotherPublicSecurityCentre_IsInvalid()
    {
        var run = InPublicSecurityCentre();
        var wrong = run.Do(new RecordTransfer(As(PublicSecurityCentre), PublicSecurityCentre, Beijing(2026, 7, 1, 9)), Beijing(2026, 7, 1, 9, 5)).Rejection!;
        Assert.Equal(("toCentreId", "not-justice-centre"), (wrong.Field, wrong.Code));
    }

    [Fact]
    public void Transfer_PastSixMonths_EscalatesToTheCentreAndTheSupervisorsOfCentres()
    {
        var run = InPublicSecurityCentre();
        run.Accept(new Tick(), Beijing(2026, 9, 11, 23, 59));
        Assert.Empty(run.Case.Escalations);

        run.Accept(new Tick(), Beijing(2026, 9, 12, 0, 1));
        Assert.Equal([PublicSecurityCentre], run.Escalation(EscalationKind.NotTransferred).Recipients.Select(r => r.OrganisationId));
        run.Accept(new Tick(), Beijing(2026, 9, 14, 0, 2));
        var escalation = run.Escalation(EscalationKind.NotTransferred);
        Assert.Equal(3, escalation.Level);
        Assert.Contains(escalation.Recipients, r => r.OrganisationId == CentreBureau);

        run.Accept(new RecordTransfer(As(PublicSecurityCentre), Centre, Beijing(2026, 9, 14, 9)), Beijing(2026, 9, 14, 9, 5));
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NotTransferred).Status);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Transfer).Status);
    }

    [Fact]
    public void Transfer_UnderAProvincialPlan_MayWaitTwelveMonths()
    {
        var run = InPublicSecurityCentre(new Dictionary<string, HandoffPolicy> { ["44"] = new() { TransferMaxMonths = 12 } });
        Assert.Equal(new DateOnly(2027, 3, 11), run.Deadline(DeadlineStep.Transfer).LastDay);
        Assert.Contains("12个月", run.Deadline(DeadlineStep.Transfer).Rule);
        run.Accept(new Tick(), Beijing(2026, 9, 12, 0, 1));
        Assert.Empty(run.Case.Escalations);
        run.Accept(new Tick(), Beijing(2027, 3, 12, 0, 1));
        Assert.Single(run.Case.Escalations, e => e.Kind == EscalationKind.NotTransferred);
    }

    [Fact]
    public void Reception_NotRecordedInTime_EscalatesToBothCentres()
    {
        var run = InPublicSecurityCentre();
        run.Accept(new RecordTransfer(As(PublicSecurityCentre), Centre, Beijing(2026, 7, 1, 9)), Beijing(2026, 7, 1, 9, 5));
        run.Accept(new Tick(), Beijing(2026, 7, 3, 0, 1));
        Assert.Equal([Centre, PublicSecurityCentre], run.Escalation(EscalationKind.NotReceived).Recipients.Select(r => r.OrganisationId));
    }

    [Fact]
    public void Reception_Refused_LeavesThePersonWithTheSenderWhoOwesTheTransferAgain()
    {
        var run = InPublicSecurityCentre();
        run.Accept(new RecordTransfer(As(PublicSecurityCentre), Centre, Beijing(2026, 7, 1, 9)), Beijing(2026, 7, 1, 9, 5));
        var missing = run.Do(new RefuseReception(As(Centre), null), Beijing(2026, 7, 1, 10)).Rejection!;
        Assert.Equal(("reason", "required"), (missing.Field, missing.Code));

        run.Accept(new RefuseReception(As(Centre), "怀孕"), Beijing(2026, 7, 1, 10));
        Assert.Equal(CaseState.InCentre, run.Case.State);
        Assert.Equal(PublicSecurityCentre, run.Case.CentreId);
        Assert.Equal(DeadlineStatus.Withdrawn, run.Deadline(DeadlineStep.Reception).Status);
        Assert.Equal(DeadlineStatus.Open, run.Deadline(DeadlineStep.Transfer).Status);
        var refusal = run.Escalation(EscalationKind.ReceptionRefused);
        Assert.Equal([PublicSecurityCentre, CitySupervisor], refusal.Recipients.Select(r => r.OrganisationId));
        Assert.Equal("怀孕", run.Case.Commitment!.Refusals.Single().Reason);
    }

    [Fact]
    public void FamilyNotice_AfterReception_LateIsEscalated_RecordedResolves()
    {
        var run = InPublicSecurityCentre();
        run.Accept(new RecordTransfer(As(PublicSecurityCentre), Centre, Beijing(2026, 7, 1, 9)), Beijing(2026, 7, 1, 9, 5));
        run.Accept(new RecordReception(As(Centre), Beijing(2026, 7, 1, 15), "决定书", "左臂擦伤"), Beijing(2026, 7, 1, 15, 5));
        run.Accept(new Tick(), Beijing(2026, 7, 7, 0, 1));
        Assert.Equal([Centre], run.Escalation(EscalationKind.FamilyNotTold).Recipients.Select(r => r.OrganisationId));
        run.Accept(new RecordFamilyNotice(As(Centre), Beijing(2026, 7, 7, 9)), Beijing(2026, 7, 7, 9));
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.FamilyNotTold).Status);
    }
}
