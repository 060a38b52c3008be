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
    public static Deadline Acknowledgement(DateTimeOffset noticeAt, LegalCalendar calendar, HandoffPolicy policy) =>
        Counted(DeadlineStep.Acknowledgement, calendar.AddDays(ChinaTime.LocalDate(noticeAt), policy.AcknowledgementDays),
            provisional: false, $"本地政策（{policy.Source}）：通报后{policy.AcknowledgementDays}日内签收");

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
    public static Deadline Agreement(DateOnly reportDate, bool provisional, LegalCalendar calendar, HandoffPolicy policy) =>
        Counted(DeadlineStep.Agreement, calendar.AddDays(reportDate, policy.AgreementDays), provisional,
            $"戒毒条例第十六条“及时”签订（本地政策（{policy.Source}）：报到后{policy.AgreementDays}日内）");

    /// <summary>
    /// 戒毒条例 34, for a release the term sets: the centre's notice is due <see cref="HandoffPolicy.ReleaseNoticeDays"/> (the law's 3,
    /// or more where a province says so, in working days if it says so: 上海 7) before <paramref name="releaseDate"/>. Open until sent.
    /// </summary>
    public static Deadline ReleaseNotice(DateOnly releaseDate, LegalCalendar calendar, HandoffPolicy policy)
    {
        var (lastDay, confirmed, rule) = policy.ReleaseNoticeInWorkingDays && calendar.WorkingDaysBefore(releaseDate, policy.ReleaseNoticeDays) is var working
            ? (working.LastDay, working.CalendarConfirmed, $"戒毒条例第三十四条：解除3日前通知（本地政策（{policy.Source}）：{policy.ReleaseNoticeDays}个工作日前）")
            : (releaseDate.AddDays(-policy.ReleaseNoticeDays), true, policy.ReleaseNoticeDays == LegalPeriods.ReleaseNoticeDays
                ? "戒毒条例第三十四条：解除3日前通知"
                : $"戒毒条例第三十四条：解除3日前通知（本地政策（{policy.Source}）：{policy.ReleaseNoticeDays}日前）");
        return new Deadline(DeadlineStep.Notice, lastDay, ChinaTime.EndOfDay(lastDay), DeadlineStatus.Open, confirmed, Provisional: false, CompletedAt: null, rule);
    }

    /// <summary>The deciding organ delivers the person within <see cref="HandoffPolicy.DeliveryDays"/> of service (禁毒法 41; policy), never
    /// rolled over a holiday (程序规定 §35).</summary>
    public static Deadline Delivery(DateTimeOffset servedAt, HandoffPolicy policy) =>
        Counted(DeadlineStep.Delivery, Calendar.LegalCalendar.AddDaysRestricted(ChinaTime.LocalDate(servedAt), policy.DeliveryDays), provisional: false,
            $"禁毒法第四十一条：由决定机关送强制隔离戒毒场所执行（国家规定未明确期限；本地政策（{policy.Source}）：送达后{policy.DeliveryDays}日内，限制人身自由期间不顺延）");

    /// <summary>禁毒法 40 (a decision) and 戒毒条例 33 (a term change): the family, work unit and 派出所 are told within 24 hours of service — an
    /// hours period, due at the exact instant.</summary>
    public static Deadline TwentyFourHours(DeadlineStep step, DateTimeOffset servedAt, string rule)
    {
        var due = servedAt + TimeSpan.FromHours(24);
        return new Deadline(step, ChinaTime.LocalDate(due), due, DeadlineStatus.Open, CalendarConfirmed: true, Provisional: false, CompletedAt: null, rule);
    }

    /// <summary>
    /// 戒毒条例 27②③: from intake in a public-security centre the transfer may be made after 3 months and must be made by 6 (12 under a
    /// provincial plan: <see cref="HandoffPolicy.TransferMaxMonths"/>); months per 民法典 202, never rolled (程序规定 §35).
    /// </summary>
    public static Deadline Transfer(DateOnly intakeDate, HandoffPolicy policy)
    {
        var last = Calendar.LegalCalendar.AddMonthsRestricted(intakeDate, policy.TransferMaxMonths);
        var rule = policy.TransferMaxMonths == 6
            ? "戒毒条例第二十七条：在公安机关强制隔离戒毒场所执行3个月至6个月后，转至司法行政部门的强制隔离戒毒场所"
            : $"戒毒条例第二十七条：省级方案，在公安机关强制隔离戒毒场所不得超过12个月（本地政策（{policy.Source}）：{policy.TransferMaxMonths}个月）";
        return new Deadline(DeadlineStep.Transfer, last, ChinaTime.EndOfDay(last), DeadlineStatus.Open, CalendarConfirmed: true, Provisional: false, CompletedAt: null,
            rule, OpensOn: Calendar.LegalCalendar.AddMonthsRestricted(intakeDate, LegalPeriods.TransferAfterMonths));
    }

    /// <summary>The receiving justice centre records the reception within <see cref="HandoffPolicy.ReceptionDays"/> (no national figure: policy).</summary>
    public static Deadline Reception(DateTimeOffset sentAt, HandoffPolicy policy) =>
        Counted(DeadlineStep.Reception, Calendar.LegalCalendar.AddDaysRestricted(ChinaTime.LocalDate(sentAt), policy.ReceptionDays), provisional: false,
            $"本地政策（{policy.Source}）：移送后{policy.ReceptionDays}日内接收或拒收（国家规定未明确期限）");

    /// <summary>The justice centre tells the family in writing within <see cref="HandoffPolicy.ReceptionNoticeDays"/> of reception (reported
    /// practice: policy); the centre's own act, so a last day on a holiday rolls (民法典 203).</summary>
    public static Deadline ReceptionNotice(DateTimeOffset receivedAt, LegalCalendar calendar, HandoffPolicy policy) =>
        Counted(DeadlineStep.ReceptionNotice, calendar.AddDays(ChinaTime.LocalDate(receivedAt), policy.ReceptionNoticeDays), provisional: false,
            $"本地政策（{policy.Source}）：接收后{policy.ReceptionNoticeDays}日内书面通知家属");

    /// <summary>戒毒条例 33: the deciding organ decides within 7 days of the centre's opinion; the person's liberty depends on it, so no roll.</summary>
    public static Deadline TermDecision(DateTimeOffset proposedAt, bool toCommunity = false) =>
        Counted(DeadlineStep.TermDecision, Calendar.LegalCalendar.AddDaysRestricted(ChinaTime.LocalDate(proposedAt), LegalPeriods.TermDecisionDays), provisional: false,
            toCommunity ? "戒毒条例第三十一条：收到变更为社区戒毒的建议之日起7日内作出是否批准的决定" : "戒毒条例第三十三条：收到意见之日起7日内作出是否批准的决定");

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

    internal static Deadline Counted(DeadlineStep step, PeriodEnd end, bool provisional, string rule) =>
        new(step, end.LastDay, end.DueAt, DeadlineStatus.Open, end.CalendarConfirmed, provisional, null, rule);
}
