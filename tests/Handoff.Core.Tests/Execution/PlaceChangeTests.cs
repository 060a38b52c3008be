using Handoff.Core.Cases;
using Handoff.Core.Execution;
using Handoff.Core.Notices;
using Handoff.Core.Tests.Support;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Execution;

/// <summary>A change of the place of execution (戒毒条例 22): a handoff between two offices, like the release.</summary>
public class PlaceChangeTests
{
    private static CaseRun UnderWay(IReadOnlyDictionary<string, HandoffPolicy>? regional = null)
    {
        var run = new CaseRun { Regional = regional };
        run.Accept(CommunityOrder(new DateOnly(2026, 9, 16), Beijing(2026, 9, 16, 10)), Beijing(2026, 9, 16, 11));
        run.Accept(new AcknowledgeNotice(As(Office)), Beijing(2026, 9, 16, 15));
        run.Accept(new RecordReport(As(Office), Beijing(2026, 9, 20, 10)), Beijing(2026, 9, 20, 10, 5));
        run.Accept(new RecordAgreement(As(Office), Beijing(2026, 9, 21, 10)), Beijing(2026, 9, 21, 10, 5));
        run.Accept(new RecordInterview(As(Office), Beijing(2026, 10, 15, 10)), Beijing(2026, 10, 15, 10, 5));
        return run;
    }

    private static SendPlaceChange Move() => new(As(Office), OtherOffice, OtherPolice, new DateOnly(2026, 11, 2), Beijing(2026, 11, 3, 9));

    [Fact]
    public void TheSendingOfficeAnswersUntilTheNewOneAcknowledges_ThenTheNewOne()
    {
        var run = UnderWay();
        var sent = run.Accept(Move(), Beijing(2026, 11, 3, 9, 5));
        Assert.Equal(Office, run.Case.OfficeId);
        Assert.Contains(sent.Notices, n => n.RecipientId == OtherOffice && n.Kind == NoticeKind.PlaceChange && n.Body.Contains("仍由"));
        Assert.Equal(new DateOnly(2026, 11, 18), run.Deadline(DeadlineStep.MoveReport).LastDay);
        Assert.Equal(DeadlineStatus.Met, run.Deadline(DeadlineStep.MoveFile).Status);
        Assert.Equal("forbidden", run.Do(new RecordTest(As(OtherOffice), Beijing(2026, 11, 3, 10), TestResult.Negative), Beijing(2026, 11, 3, 11)).Rejection!.Code);

        run.Accept(new AcknowledgePlaceChange(As(OtherOffice)), Beijing(2026, 11, 3, 15));
        Assert.Equal(OtherOffice, run.Case.OfficeId);
        Assert.Equal(OtherPolice, run.Case.PoliceStationId);
        Assert.Contains(Office, run.Case.Parties);

        run.Accept(new RecordReport(As(OtherOffice), Beijing(2026, 11, 10, 10)), Beijing(2026, 11, 10, 10, 5));
        run.Accept(new RecordAgreement(As(OtherOffice), Beijing(2026, 11, 11, 10)), Beijing(2026, 11, 11, 10, 5));
        Assert.Null(run.Case.Community!.Move);
        Assert.Equal(new[] { Office, OtherOffice }, run.Case.Community.Offices);
        // The period runs on without a break (戒毒条例 22②).
        Assert.Equal(new DateOnly(2029, 9, 20), run.Case.Community.EndsOn);
        Assert.Empty(run.Case.Escalations);
    }

    [Fact]
    public void ThePersonNeverArrives_BothOfficesThePoliceAndTheDecidingOrganAreTold()
    {
        var run = UnderWay();
        run.Accept(Move(), Beijing(2026, 11, 3, 9, 5));

        // Not acknowledged: the new office, and the sending one still answering, are told.
        run.Accept(new Tick(), Beijing(2026, 11, 5, 0, 1));
        var ack = run.Escalation(EscalationKind.MoveNotAcknowledged);
        Assert.Equal(new[] { OtherOffice, Office }, ack.Recipients.Select(r => r.OrganisationId));

        var missed = run.Accept(new Tick(), Beijing(2026, 11, 19, 0, 1));
        var notReported = run.Escalation(EscalationKind.NotReported);
        Assert.Equal(new[] { Office, OtherOffice, Police, Authority }.Order(), notReported.Recipients.Where(r => r.Level == 1).Select(r => r.OrganisationId).Order());
        Assert.Contains(missed.Notices, n => n.Kind == NoticeKind.Escalation && n.Body.Contains("新执行地尚未签收材料"));

        // The person turns up at last: the new office records the report and takes the person over.
        run.Accept(new RecordReport(As(OtherOffice), Beijing(2026, 11, 25, 10)), Beijing(2026, 11, 25, 10, 5));
        Assert.Equal(OtherOffice, run.Case.OfficeId);
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.NotReported).Status);
        Assert.Equal(EscalationStatus.Resolved, run.Escalation(EscalationKind.MoveNotAcknowledged).Status);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.MoveReport).Status);
    }

    [Fact]
    public void FileSentAfterTheProvincesWorkingDays_IsToldAtOnce()
    {
        // 重庆 §36: 3 working days. Reported 2026-09-24 (Thu): 09-25..27 are 中秋, so 09-28, 09-29, 09-30 — sent 10-08 is late.
        var run = UnderWay(new Dictionary<string, HandoffPolicy> { ["44"] = new() { PlaceChangeFileInWorkingDays = true } });
        run.Accept(new SendPlaceChange(As(Office), OtherOffice, null, new DateOnly(2026, 9, 24), Beijing(2026, 10, 8, 9)), Beijing(2026, 10, 8, 9, 5));
        Assert.Equal(new DateOnly(2026, 9, 30), run.Deadline(DeadlineStep.MoveFile).LastDay);
        Assert.Equal(DeadlineStatus.Missed, run.Deadline(DeadlineStep.MoveFile).Status);
        var late = run.Escalation(EscalationKind.FileLate);
        Assert.Null(late.NextClimbAt);
        Assert.Contains(late.Recipients, r => r.OrganisationId == Office);
    }

    [Fact]
    public void TheStepComesBeforeTheDeadlinesItSets_SoTheFileListsThemBesideIt()
    {
        // Found walking the file: the move's deadlines came before the move in the history, so the file showed a line "设定期限" of its
        // own, by the office, above the move; a violation found did the same with the office's reporting deadline.
        var run = UnderWay();
        var sent = run.Accept(Move(), Beijing(2026, 11, 3, 9, 5));
        Assert.IsType<PlaceChangeSent>(sent.Events[0]);
        Assert.Contains(sent.Notices, n => n.RecipientId == OtherOffice && n.Body.Contains("2026年11月18日 24:00前到新执行地报到"));

        var positive = run.Accept(new RecordTest(As(Office), Beijing(2026, 11, 4, 9), TestResult.Positive), Beijing(2026, 11, 4, 9, 5)).Events.ToList();
        Assert.True(positive.FindIndex(e => e is ViolationFound) < positive.FindIndex(e => e is DeadlineSet { Deadline.Step: DeadlineStep.ViolationReport }));
        var due = run.Deadline(DeadlineStep.ViolationReport).LastDay;
        Assert.Contains(run.Notices, n => n.Kind == NoticeKind.Violation && n.Body.Contains($"{due.Year}年{due.Month}月{due.Day}日前向公安机关报告"));
    }

    [Fact]
    public void SecondMove_WhileOneIsUnderWay_IsRefused_TheSameOneAgainIsNot()
    {
        var run = UnderWay();
        run.Accept(Move(), Beijing(2026, 11, 3, 9, 5));
        Assert.Empty(run.Accept(Move(), Beijing(2026, 11, 3, 9, 6)).Events);
        Assert.Equal("move-under-way", run.Do(Move() with { SentAt = Beijing(2026, 11, 3, 11) }, Beijing(2026, 11, 3, 11, 5)).Rejection!.Code);
    }
}
