using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Chain;

/// <summary>The term (戒毒条例 27①, 31–33; 禁毒法 47) and the release it sets (戒毒条例 34).</summary>
public class TermTests
{
    /// <summary>Decided 2025-03-10 (term to 2027-03-10), taken straight into the justice centre the next day.</summary>
    private static CaseRun InJusticeCentre(IReadOnlyDictionary<string, HandoffPolicy>? regional = null)
    {
        var run = new CaseRun { Regional = regional };
        run.Accept(Committal(new DateOnly(2025, 3, 10), Beijing(2025, 3, 10, 15), centre: Centre), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordDecisionNotices(As(Authority), Beijing(2025, 3, 10, 18)), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordIntake(As(Centre), Beijing(2025, 3, 11, 10)), Beijing(2026, 1, 5, 9));
        return run;
    }

    [Fact]
    public void Escape_StopsTheClock_AndTheReturnAddsTheDaysAway()
    {
        var run = InJusticeCentre();
        Assert.Equal(new DateOnly(2027, 3, 10), run.Case.ReleaseDate);
        var escaped = run.Accept(new RecordEscape(As(Centre), Beijing(2026, 5, 1, 22)), Beijing(2026, 5, 1, 22, 30));
        Assert.True(run.Deadline(DeadlineStep.Release).Provisional);
        Assert.True(run.Deadline(DeadlineStep.Notice).Provisional);
        Assert.Contains(escaped.Notices, n => n.RecipientId == Authority);

        // While away nothing escalates against a release date that will move.
        run.Accept(new Tick(), Beijing(2027, 3, 11, 1));
        Assert.DoesNotContain(run.Case.Escalations, e => e.Status == EscalationStatus.Open);

        run.Accept(new RecordReturn(As(Centre), Beijing(2027, 3, 11, 8)), Beijing(2027, 3, 11, 8, 30));
        Assert.Equal(314, run.Case.Commitment!.DaysAway);
        Assert.Equal(new DateOnly(2028, 1, 18), run.Case.ReleaseDate);
        Assert.False(run.Deadline(DeadlineStep.Release).Provisional);
        Assert.Equal(new DateOnly(2028, 1, 15), run.Deadline(DeadlineStep.Notice).LastDay);
        // No early release after an escape (戒毒条例 32).
        var early = run.Do(new ProposeTermChange(As(Centre), TermChangeKind.EarlyRelease, new DateOnly(2027, 6, 1), "表现良好"), Beijing(2027, 4, 1)).Rejection!;
        Assert.Equal("escaped", early.Code);
    }

    [Fact]
    public void TreatmentOutsideTheCentre_LeavesTheTermRunning_UnlikeAnEscape()
    {
        // 戒毒条例 31②: 所外就医期间，强制隔离戒毒期限连续计算.
        var run = InJusticeCentre();
        var left = run.Accept(new RecordMedicalLeave(As(Centre), Beijing(2026, 5, 1, 9), "肺部感染住院"), Beijing(2026, 5, 1, 9, 30));
        Assert.Equal(Beijing(2026, 5, 1, 9), run.Case.Commitment!.OutForTreatmentSince);
        Assert.Contains(left.Notices, n => n.RecipientId == Authority && n.Body.Contains("连续计算"));
        Assert.False(run.Deadline(DeadlineStep.Release).Provisional);
        Assert.Equal("required", run.Do(new RecordMedicalLeave(As(Centre), Beijing(2026, 5, 2), " "), Beijing(2026, 5, 2)).Rejection!.Code);

        run.Accept(new RecordMedicalReturn(As(Centre), Beijing(2026, 6, 10, 9)), Beijing(2026, 6, 10, 9, 30));
        Assert.Null(run.Case.Commitment!.OutForTreatmentSince);
        Assert.Equal(new DateOnly(2027, 3, 10), run.Case.ReleaseDate);
        Assert.Equal(0, run.Case.Commitment.DaysAway);
        Assert.Equal("not-out-for-treatment", run.Do(new RecordMedicalReturn(As(Centre), Beijing(2026, 6, 11)), Beijing(2026, 6, 11)).Rejection!.Code);
    }

    [Fact]
    public void EarlyRelease_DecidedLate_Escalates_ThenMovesTheReleaseAndRetimesTheNotice()
    {
        var run = InJusticeCentre();
        var tooSoon = run.Do(new ProposeTermChange(As(Centre), TermChangeKind.EarlyRelease, new DateOnly(2026, 3, 9), "表现良好"), Beijing(2026, 2, 1)).Rejection!;
        Assert.Equal(("newReleaseDate", "too-early"), (tooSoon.Field, tooSoon.Code));

        var proposed = run.Accept(new ProposeTermChange(As(Centre), TermChangeKind.EarlyRelease, new DateOnly(2026, 6, 30), "诊断评估合格"), Beijing(2026, 6, 1, 10));
        Assert.Equal([Authority], proposed.Notices.Select(n => n.RecipientId));
        Assert.Equal(new DateOnly(2026, 6, 8), run.Deadline(DeadlineStep.TermDecision).LastDay);

        run.Accept(new Tick(), Beijing(2026, 6, 9, 0, 1));
        Assert.Equal([Authority], run.Escalation(EscalationKind.TermDecisionLate).Recipients.Select(r => r.OrganisationId));

        run.Accept(new DecideTermChange(As(Authority), true, Beijing(2026, 6, 9, 10), null), Beijing(2026, 6, 9, 10, 5));
        Assert.Equal(new DateOnly(2026, 6, 30), run.Case.ReleaseDate);
        Assert.Equal(ReleaseType.Early, run.Case.ReleaseType);
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.TermDecisionLate).Status);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.TermDecision).Status);
        // The 3-day release notice is now due before the new date, not typed (戒毒条例 34).
        Assert.Equal(new DateOnly(2026, 6, 27), run.Deadline(DeadlineStep.Notice).LastDay);
        Assert.Equal(ChinaEnd(2026, 6, 30), run.Deadline(DeadlineStep.Release).DueAt);
        Assert.Equal(Beijing(2026, 6, 10, 10), run.Deadline(DeadlineStep.TermNotices).DueAt);
    }

    [Fact]
    public void Extension_AfterTheNotice_TellsTheReceivingOfficeTheNewDate()
    {
        var run = InJusticeCentre();
        run.Accept(new SendReleaseNotice(As(Centre), Office, Police, 3), Beijing(2027, 2, 1, 9));
        Assert.Equal(CaseState.Scheduled, run.Case.State);

        var tooLong = run.Do(new ProposeTermChange(As(Centre), TermChangeKind.Extension, new DateOnly(2028, 3, 11), "评估未通过"), Beijing(2027, 2, 20)).Rejection!;
        Assert.Equal(("newReleaseDate", "extension-too-long"), (tooLong.Field, tooLong.Code));

        run.Accept(new ProposeTermChange(As(Centre), TermChangeKind.Extension, new DateOnly(2027, 9, 10), "诊断评估未达标"), Beijing(2027, 2, 20, 9));
        var decided = run.Accept(new DecideTermChange(As(Authority), true, Beijing(2027, 2, 22, 9), null), Beijing(2027, 2, 22, 9, 5));

        Assert.Equal(new DateOnly(2027, 9, 10), run.Case.ReleaseDate);
        var toOffice = Assert.Single(decided.Notices, n => n.RecipientId == Office);
        Assert.Equal(NoticeKind.ReleaseDateChanged, toOffice.Kind);
        Assert.Contains("2027年3月10日变更为2027年9月10日", toOffice.Body);
        // Found walking the pages: the letter was signed by the centre, though the deciding organ made the change.
        Assert.Contains("梅州市公安局通报", toOffice.Body);
        // The report deadline counts from the new date.
        Assert.Equal(new DateOnly(2027, 9, 27), run.Deadline(DeadlineStep.Report).LastDay);
    }

    [Fact]
    public void ReleaseOnExpiry_NeverWaitsForAPendingDecision()
    {
        var run = InJusticeCentre();
        run.Accept(new SendReleaseNotice(As(Centre), Office, Police, 3), Beijing(2027, 2, 1, 9));
        run.Accept(new ProposeTermChange(As(Centre), TermChangeKind.Extension, new DateOnly(2027, 9, 10), "诊断评估未达标"), Beijing(2027, 3, 8, 9));
        // The release deadline stays at the term's end while the decision is pending.
        Assert.Equal(ChinaEnd(2027, 3, 10), run.Deadline(DeadlineStep.Release).DueAt);

        run.Accept(new RecordRelease(As(Centre), Beijing(2027, 3, 10, 9), new CollectedBy(CollectorKind.Family, "张三")), Beijing(2027, 3, 10, 9, 5));
        Assert.Null(run.Case.Commitment!.Proposal);
        Assert.Equal(DeadlineStatus.Withdrawn, run.Deadline(DeadlineStep.TermDecision).Status);
        Assert.Equal("no-proposal", run.Do(new DecideTermChange(As(Authority), true, Beijing(2027, 3, 11, 9), null), Beijing(2027, 3, 11, 9)).Rejection!.Code);
    }

    [Fact]
    public void ReleaseNotice_NotSentThreeDaysAhead_Escalates_AndSendingStartsTheHandoff()
    {
        var run = InJusticeCentre();
        run.Accept(new Tick(), Beijing(2027, 3, 8, 0, 1));
        Assert.Equal([Centre], run.Escalation(EscalationKind.NoticeNotSent).Recipients.Select(r => r.OrganisationId));

        var sent = run.Accept(new SendReleaseNotice(As(Centre), Office, Police, 3), Beijing(2027, 3, 8, 9));
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NoticeNotSent).Status);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Notice).Status);
        Assert.DoesNotContain(run.Case.Escalations, e => e.Kind == EscalationKind.LateNotice);
        Assert.Equal([Office, Police, Authority], sent.Notices.Where(n => n.Kind == NoticeKind.ReleaseNotice).Select(n => n.RecipientId));
        Assert.Equal(DeadlineStatus.Open, run.Deadline(DeadlineStep.Acknowledgement).Status);
    }

    [Fact]
    public void ReleaseNotice_ForAnOfficeAwayFromThePerson_IsRefusedNamingTheField()
    {
        var run = InJusticeCentre();
        var wrong = run.Do(new SendReleaseNotice(As(Centre), OtherOffice, Police, 3), Beijing(2027, 2, 1, 9)).Rejection!;
        Assert.Equal(("receivingOfficeId", "office-not-at-residence"), (wrong.Field, wrong.Code));
    }

    [Fact]
    public void ReleaseNotice_InWorkingDaysWhereAProvinceSaysSo()
    {
        // 上海-style: 7 working days before the release. Term to 2026-10-08: back over 国庆 (10-01–10-07) and 中秋 (09-25–09-27).
        var regional = new Dictionary<string, HandoffPolicy> { ["44"] = new() { ReleaseNoticeDays = 7, ReleaseNoticeInWorkingDays = true } };
        var run = new CaseRun { Regional = regional };
        run.Accept(Committal(new DateOnly(2024, 10, 8), Beijing(2024, 10, 8, 15), centre: Centre), Beijing(2026, 1, 5, 9));
        Assert.Equal(new DateOnly(2026, 9, 21), run.Deadline(DeadlineStep.Notice).LastDay);
        Assert.Contains("7个工作日", run.Deadline(DeadlineStep.Notice).Rule);

        var national = new CaseRun();
        national.Accept(Committal(new DateOnly(2024, 10, 8), Beijing(2024, 10, 8, 15), centre: Centre), Beijing(2026, 1, 5, 9));
        Assert.Equal(new DateOnly(2026, 10, 5), national.Deadline(DeadlineStep.Notice).LastDay);
    }

    [Fact]
    public void WholeChain_FromTheDecisionToTheAgreement_InOneFile()
    {
        var run = new CaseRun();
        run.Accept(Committal(new DateOnly(2025, 3, 10), Beijing(2025, 3, 10, 15)), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordDecisionNotices(As(Authority), Beijing(2025, 3, 10, 18)), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordIntake(As(PublicSecurityCentre), Beijing(2025, 3, 11, 10)), Beijing(2026, 1, 5, 9));
        run.Accept(new RecordTransfer(As(PublicSecurityCentre), Centre, Beijing(2026, 1, 5, 10)), Beijing(2026, 1, 5, 10));
        run.Accept(new RecordReception(As(Centre), Beijing(2026, 1, 5, 15), "决定书、诊断评估记录", null), Beijing(2026, 1, 5, 15));
        run.Accept(new RecordFamilyNotice(As(Centre), Beijing(2026, 1, 6, 9)), Beijing(2026, 1, 6, 9));
        run.Accept(new SendReleaseNotice(As(Centre), Office, Police, 3), Beijing(2027, 2, 1, 9));
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2027, 2, 1, 15));
        run.Accept(new RecordRelease(As(Centre), Beijing(2027, 3, 10, 9), new CollectedBy(CollectorKind.Family, "张三")), Beijing(2027, 3, 10, 9, 5));
        run.Accept(new RecordReport(As(Office), Beijing(2027, 3, 12, 10)), Beijing(2027, 3, 12, 10));
        run.Accept(new RecordAgreement(As(Office), Beijing(2027, 3, 12, 11)), Beijing(2027, 3, 12, 11));

        Assert.Equal(CaseState.AgreementSigned, run.Case.State);
        Assert.Equal(CommunityKind.Rehabilitation, run.Case.Community!.Kind);
        Assert.False(run.Case.IsClosed);
        // The transfer was made after the 6 months (2025-09-11): the file says so, and so do its escalations.
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.Transfer).Status);
        Assert.All(run.Case.Escalations, e => Assert.Equal(EscalationStatus.Resolved, e.Status));
        Assert.Equal(Json(run.Case), Json(CaseWorkflow.Fold(run.History)));
        Assert.Equal(new[] { PublicSecurityCentre, Centre, Office, Police, Authority }.Order(), run.Case.Parties.Order());
        // Every event of the file survives the JSON it is stored in.
        var stored = System.Text.Json.JsonSerializer.Serialize<IReadOnlyList<CaseEvent>>(run.History, Handoff.Core.Serialization.CoreJson.Options);
        var read = System.Text.Json.JsonSerializer.Deserialize<List<CaseEvent>>(stored, Handoff.Core.Serialization.CoreJson.Options)!;
        Assert.Equal(Json(run.Case), Json(CaseWorkflow.Fold(read)));
    }

    private static string Json(Case c) => System.Text.Json.JsonSerializer.Serialize(c, Handoff.Core.Serialization.CoreJson.Options);

    private static DateTimeOffset ChinaEnd(int y, int m, int d) => Handoff.Core.Time.ChinaTime.EndOfDay(new DateOnly(y, m, d));
}
