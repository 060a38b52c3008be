using Handoff.Core.Calendar;
using Handoff.Core.Cases;
using Handoff.Core.Time;

namespace Handoff.Core.Workflow;

/// <summary>Computes each step's deadline from the rule that sets it.</summary>
internal static class DeadlinePlanner
{
    /// <summary>
    /// 戒毒条例 34: the centre notifies "在解除强制隔离戒毒3日前". The period counts back from the release date, so the last day is
    /// three days before it. It is not rolled past holidays: rolling a backward period forward would shorten the notice the law gives.
    /// </summary>
    public static Deadline Notice(DateOnly releaseDate, DateTimeOffset noticeAt)
    {
        var lastDay = releaseDate.AddDays(-LegalPeriods.ReleaseNoticeDays);
        var due = LegalPeriods.ReleaseNoticeDue(releaseDate);
        return new Deadline(
            DeadlineStep.Notice, lastDay, due, LegalPeriods.IsLateNotice(releaseDate, noticeAt) ? DeadlineStatus.Missed : DeadlineStatus.Met,
            CalendarConfirmed: true, Provisional: false, CompletedAt: noticeAt, "戒毒条例第三十四条：解除3日前通知");
    }

    /// <summary>Policy: the office acknowledges within <see cref="HandoffPolicy.AcknowledgementDays"/> of the notice (民法典 201–203 counting).</summary>
    public static Deadline Acknowledgement(DateTimeOffset noticeAt, WorkflowContext context) =>
        Counted(DeadlineStep.Acknowledgement, context.Calendar.AddDays(ChinaTime.LocalDate(noticeAt), context.Policy.AcknowledgementDays),
            provisional: false, $"本地政策（{context.Policy.Source}）：通报后{context.Policy.AcknowledgementDays}日内签收");

    /// <summary>The centre records the release by 24:00 of the release date; a fixed date, not a counted period, so no roll-over.</summary>
    public static Deadline Release(DateOnly releaseDate) =>
        new(DeadlineStep.Release, releaseDate, ChinaTime.EndOfDay(releaseDate), DeadlineStatus.Open,
            CalendarConfirmed: true, Provisional: false, CompletedAt: null, "出所当日24时前登记出所情况");

    /// <summary>
    /// 戒毒条例 38①: report within 15 days of receiving the 责令社区康复决定书, which is served on release;
    /// counted from the release date (or the planned one, provisionally).
    /// </summary>
    public static Deadline Report(DateOnly releaseDate, bool provisional, LegalCalendar calendar) =>
        Counted(DeadlineStep.Report, calendar.AddDays(releaseDate, LegalPeriods.ReportDays), provisional,
            "戒毒条例第三十八条：收到决定书之日起15日内报到");

    /// <summary>
    /// 戒毒条例 16: sign the agreement "及时" after the report; <see cref="HandoffPolicy.AgreementDays"/> is our reading of it.
    /// </summary>
    public static Deadline Agreement(DateOnly reportDate, bool provisional, WorkflowContext context) =>
        Counted(DeadlineStep.Agreement, context.Calendar.AddDays(reportDate, context.Policy.AgreementDays), provisional,
            $"戒毒条例第十六条“及时”签订（本地政策（{context.Policy.Source}）：报到后{context.Policy.AgreementDays}日内）");

    /// <summary>
    /// A step done at <paramref name="doneAt"/> and received at <paramref name="receivedAt"/> (its legal time): met if done before the due
    /// instant and either not yet marked missed or received before the deadline ended — a step received in time but applied after the
    /// deadline's tick is on time (the tick could not know of it). A step received after the deadline that says it was done before
    /// (a report recorded late) stays missed: the escalation was right to go out.
    /// </summary>
    public static Deadline Complete(Deadline deadline, DateTimeOffset doneAt, DateTimeOffset receivedAt) => deadline with
    {
        Status = doneAt < deadline.DueAt && (deadline.Status != DeadlineStatus.Missed || receivedAt < deadline.DueAt) ? DeadlineStatus.Met : DeadlineStatus.Missed,
        CompletedAt = doneAt,
        Provisional = false,
    };

    private static Deadline Counted(DeadlineStep step, PeriodEnd end, bool provisional, string rule) =>
        new(step, end.LastDay, end.DueAt, DeadlineStatus.Open, end.CalendarConfirmed, provisional, null, rule);
}
