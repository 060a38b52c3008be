using Handoff.Core.Calendar;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Execution;

/// <summary>
/// What the steps of the community period share (社区戒毒 and 社区康复, 戒毒条例 13–24, 37–40): its deadlines, the thresholds of a serious
/// violation (条例 20) and the office's duty to report (条例 21), the days that are reached rather than missed (the period's end, the 31st
/// day away), and what a suspension or an end does to the rest.
/// </summary>
internal static class CommunityRules
{
    /// <summary>Deadlines that are days to be reached, not duties: reaching one is an event of the period, never an escalation.</summary>
    public static bool IsMilestone(DeadlineStep step) => step is DeadlineStep.Expiry or DeadlineStep.AwayLimit;

    /// <summary>The person's deadlines that stop while the period is suspended (戒毒条例 24②) and move on by the days suspended.</summary>
    private static readonly DeadlineStep[] PersonsSteps =
        [DeadlineStep.Report, DeadlineStep.Contact, DeadlineStep.AwayLimit, DeadlineStep.MoveReport, DeadlineStep.Expiry, DeadlineStep.EndMaterials];

    /// <summary>Every deadline of the period: withdrawn when it ends.</summary>
    private static readonly DeadlineStep[] PeriodSteps =
    [
        DeadlineStep.Acknowledgement, DeadlineStep.MoveFile, DeadlineStep.Report, DeadlineStep.Agreement, DeadlineStep.Contact, DeadlineStep.ViolationReport, DeadlineStep.AwayLimit,
        DeadlineStep.MoveAcknowledgement, DeadlineStep.MoveReport, DeadlineStep.MoveAgreement, DeadlineStep.Expiry, DeadlineStep.EndMaterials,
    ];

    /// <summary>Escalations the end of the period makes moot.</summary>
    private static readonly EscalationKind[] PeriodKinds =
    [
        EscalationKind.NotReported, EscalationKind.NoAgreement, EscalationKind.NoContact, EscalationKind.ViolationNotReported,
        EscalationKind.MoveNotAcknowledged, EscalationKind.NotAcknowledged, EscalationKind.FileLate, EscalationKind.EndMaterialsLate,
    ];

    /// <summary>Refuses a community step on a file with no community period under way.</summary>
    public static Rejection? Running(Case c) => c.Community is not { StartedOn: not null, EndReason: null }
        ? Rejection.Conflict("no-community-period", "No community period is under way: it begins with the report (戒毒条例 14, 38) and ends with its expiry or termination.")
        : null;

    /// <summary>Refuses a step while the period is suspended (戒毒条例 24②).</summary>
    public static Rejection? NotSuspended(Case c) => c.State == CaseState.Suspended
        ? Rejection.Conflict("suspended", "The community period is suspended by detention or arrest (戒毒条例 24②): record the release from custody first.")
        : null;

    /// <summary>
    /// 戒毒条例 14①, 22②: report within 15 days (or the province's fewer, <see cref="HandoffPolicy.CommunityReportDays"/>) of the order's
    /// service or of the change. The person is at liberty, so a last day on a holiday rolls to the next working day (程序规定 §35).
    /// </summary>
    public static Deadline Report(DeadlineStep step, DateOnly from, LegalCalendar calendar, HandoffPolicy policy, string article) =>
        DeadlinePlanner.Counted(step, calendar.AddDays(from, policy.CommunityReportDays), provisional: false,
            policy.CommunityReportDays == LegalPeriods.CommunityReportDays
                ? $"{article}：15日内报到"
                : $"{article}：15日内报到（本地政策（{policy.Source}）：{policy.CommunityReportDays}日内）");

    /// <summary>Policy: a test or interview at least every <see cref="HandoffPolicy.ContactDays"/> from the last contact (脱失 otherwise).</summary>
    public static Deadline Contact(DateTimeOffset lastContact, LegalCalendar calendar, HandoffPolicy policy) =>
        DeadlinePlanner.Counted(DeadlineStep.Contact, calendar.AddDays(ChinaTime.LocalDate(lastContact), policy.ContactDays), provisional: false,
            $"本地政策（{policy.Source}）：至少每{policy.ContactDays}日检测或谈话一次，逾期视为失联（国家规定未明确）");

    /// <summary>The period's last day: not a period for an act, so it never rolls over a holiday (the obligations would grow).</summary>
    public static Deadline Expiry(Community k) =>
        new(DeadlineStep.Expiry, k.EndsOn!.Value, ChinaTime.EndOfDay(k.EndsOn.Value), DeadlineStatus.Open, CalendarConfirmed: true, Provisional: false, null,
            k.Kind == CommunityKind.Detox
                ? "戒毒条例第十四条：社区戒毒期限3年，自报到之日起计算；第二十三条：期满之日起解除"
                : $"戒毒条例第三十七条：社区康复{k.Years}年（起算日条例未规定，按报到之日计算）；第四十条：期满之日起解除");

    /// <summary>
    /// The period's last day and, where the office's province asks for it (重庆 §37: <see cref="HandoffPolicy.EndMaterialsWorkingDays"/>),
    /// the office's materials for the 解除 that many working days before it.
    /// </summary>
    public static void PlanEnd(DecisionBuilder b, Actor by)
    {
        var k = b.State.Community!;
        b.SetDeadline(by, Expiry(k));
        var policy = b.Context.PolicyOf(b.State.OfficeId);
        if (policy.EndMaterialsWorkingDays > 0)
        {
            var end = b.Context.Calendar.WorkingDaysBefore(k.EndsOn!.Value, policy.EndMaterialsWorkingDays);
            b.SetDeadline(by, new Deadline(DeadlineStep.EndMaterials, end.LastDay, ChinaTime.EndOfDay(end.LastDay), DeadlineStatus.Open, end.CalendarConfirmed,
                Provisional: false, null, $"本地政策（{policy.Source}）：期满{policy.EndMaterialsWorkingDays}个工作日前将协议和有关材料送公安机关"));
        }
    }

    /// <summary>The period's last day counted from the first report: years per 民法典 202, plus days suspended.</summary>
    public static DateOnly EndsOn(DateOnly startedOn, int years, int daysSuspended) =>
        LegalCalendar.AddMonthsRestricted(startedOn, years * 12).AddDays(daysSuspended);

    /// <summary>
    /// After a count changed: each threshold of 戒毒条例 20 newly reached is a serious violation — the police station and the deciding organ
    /// are told, and the office's duty to report it (条例 21) is a deadline — and a count one short of it warns the office.
    /// </summary>
    public static void Thresholds(DecisionBuilder b, Actor by)
    {
        var k = b.State.Community!;
        var today = ChinaTime.LocalDate(b.Now);
        var reached = new List<ViolationGround>();
        if (k.MissedTests >= LegalPeriods.MissedTestsLimit)
        {
            reached.Add(ViolationGround.Tests);
        }

        if (k.Departures >= LegalPeriods.DeparturesLimit)
        {
            reached.Add(ViolationGround.Departures);
        }

        if (k.DaysAwayOn(today) > LegalPeriods.DaysAwayLimit)
        {
            reached.Add(ViolationGround.DaysAway);
        }

        foreach (var ground in reached.Where(g => !k.Grounds.Contains(g)))
        {
            Violation(b, by, ground);
        }
    }

    /// <summary>
    /// A ground to report (a refusal, a threshold, a positive test): the police station and the deciding organ are told at once, and the
    /// office must report it to the police within <see cref="HandoffPolicy.ViolationReportDays"/> (戒毒条例 21 "及时").
    /// </summary>
    public static void Violation(DecisionBuilder b, Actor by, ViolationGround ground)
    {
        var found = new ViolationFound(b.Now, by, ground);
        b.Add(found);
        var policy = b.Context.PolicyOf(b.State.OfficeId);
        if (b.State.DeadlineFor(DeadlineStep.ViolationReport) is not { Status: DeadlineStatus.Open })
        {
            b.SetDeadline(by, DeadlinePlanner.Counted(DeadlineStep.ViolationReport,
                b.Context.Calendar.AddDays(ChinaTime.LocalDate(b.Now), policy.ViolationReportDays), provisional: false,
                $"戒毒条例第二十一条：及时向公安机关报告（本地政策（{policy.Source}）：{policy.ViolationReportDays}日内）"));
        }

        // Composed once the deadline it gives is set.
        b.Notify(found.Letter(b.State, b.Context.Directory));
    }

    /// <summary>
    /// A refusal found because the report period passed unrecorded, then a report recorded late with a time inside the period (an office
    /// entering it after the fact): the person did report, so there was no refusal (戒毒条例 14①) — the ground is withdrawn if the office has
    /// not reported it yet, and its duty to report with it. Already reported, it stays: the police were told, and correct it themselves.
    /// </summary>
    public static void RefusalDisproved(DecisionBuilder b, Actor by) => Disproved(b, by, ViolationGround.Refusal, "人员已在期限内报到，不属于拒绝接受社区戒毒");

    /// <summary>
    /// A ground found that the steps entered since disprove (a report or a return entered after the fact, a departure shorter than 3
    /// days): withdrawn if the office has not reported it yet, and its duty to report with it. Already reported, it stays.
    /// </summary>
    public static void Disproved(DecisionBuilder b, Actor by, ViolationGround ground, string why)
    {
        var k = b.State.Community!;
        var index = k.Grounds.ToList().LastIndexOf(ground);
        if (index < 0 || index < k.ViolationsReported)
        {
            return;
        }

        b.Add(new ViolationWithdrawn(b.Now, by, ground));
        if (b.State.Community!.Grounds.Count == b.State.Community.ViolationsReported
            && b.State.DeadlineFor(DeadlineStep.ViolationReport) is { CompletedAt: null } duty && duty.Status != DeadlineStatus.Withdrawn)
        {
            b.SetDeadline(by, duty with { Status = DeadlineStatus.Withdrawn });
            CaseWorkflow.Resolve(b, by, why, EscalationKind.ViolationNotReported);
        }
    }

    /// <summary>After an absence ended or was corrected: the day-count and departure grounds no longer borne out are withdrawn.</summary>
    public static void AbsenceGroundsRechecked(DecisionBuilder b, Actor by)
    {
        var k = b.State.Community!;
        var today = ChinaTime.LocalDate(b.Now);
        if (k.Grounds.Contains(ViolationGround.DaysAway) && k.DaysAwayOn(today) <= LegalPeriods.DaysAwayLimit)
        {
            Disproved(b, by, ViolationGround.DaysAway, "离开天数经更正未超过30日");
        }

        if (b.State.Community!.Grounds.Contains(ViolationGround.Departures) && b.State.Community.Departures < LegalPeriods.DeparturesLimit)
        {
            Disproved(b, by, ViolationGround.Departures, "擅自离开经更正未满3次");
        }
    }

    /// <summary>A count <paramref name="count"/> of <paramref name="what"/> one short (or the policy's margin) of its limit: the office is warned once.</summary>
    public static void Warn(DecisionBuilder b, string what, int before, int count, int limit)
    {
        var margin = b.Context.PolicyOf(b.State.OfficeId).ViolationWarningMargin;
        if (margin == 0 || count >= limit || count < limit - margin || before >= limit - margin)
        {
            return;
        }

        var c = b.State;
        b.Notify(N.Step(c, NoticeKind.ViolationWarning, b.Now, [c.OfficeId], "严重违反协议预警",
            $"{N.Person(c)}在{KindName(c)}期间已{what}{count}次，再有{limit - count}次即达到《戒毒条例》第二十条规定的严重违反社区戒毒协议情形"
            + "（须及时报告公安机关，第二十一条）。请加强教育和管控。", b.Context.Directory));
    }

    /// <summary>A day of the period reached (not a duty missed): marked met, and what it means done.</summary>
    public static void Reached(DecisionBuilder b, Deadline deadline)
    {
        b.SetDeadline(Actor.System, deadline with { Status = DeadlineStatus.Met, CompletedAt = deadline.DueAt });
        switch (deadline.Step)
        {
            case DeadlineStep.AwayLimit when b.State.Community is { EndReason: null } k && !k.Grounds.Contains(ViolationGround.DaysAway):
                Violation(b, Actor.System, ViolationGround.DaysAway);
                break;
            case DeadlineStep.Expiry when b.State.Community is { EndReason: null }:
                Expire(b, deadline.LastDay);
                break;
        }
    }

    /// <summary>
    /// 戒毒条例 23, 40: the period ends on its last day; the 公安机关 serves the 解除 notice and tells the office within 7 days (重庆 §37: 7
    /// working days, <see cref="HandoffPolicy.EndNoticeInWorkingDays"/>).
    /// </summary>
    private static void Expire(DecisionBuilder b, DateOnly lastDay)
    {
        b.Add(new CommunityExpired(b.Now, Actor.System, lastDay));
        Close(b, Actor.System, "社区期限届满");
        var policy = b.Context.PolicyOf(b.State.DecisionAuthorityId);
        var end = policy.EndNoticeInWorkingDays
            ? b.Context.Calendar.AddWorkingDays(lastDay, LegalPeriods.EndNoticeDays)
            : b.Context.Calendar.AddDays(lastDay, LegalPeriods.EndNoticeDays);
        var article = b.State.Community!.Kind == CommunityKind.Detox ? "第二十三条" : "第四十条";
        b.SetDeadline(Actor.System, DeadlinePlanner.Counted(DeadlineStep.EndNotice, end, provisional: false,
            policy.EndNoticeInWorkingDays
                ? $"戒毒条例{article}：出具解除通知书并在7日内通知执行地（本地政策（{policy.Source}）：7个工作日）"
                : $"戒毒条例{article}：出具解除通知书并在7日内通知执行地"));
    }

    /// <summary>The period ended (expiry, termination, a new decision): its open deadlines are withdrawn and its escalations end.</summary>
    public static void Close(DecisionBuilder b, Actor by, string resolution)
    {
        foreach (var d in b.State.Deadlines.Where(d => d.Status == DeadlineStatus.Open && PeriodSteps.Contains(d.Step)).ToList())
        {
            b.SetDeadline(by, d with { Status = DeadlineStatus.Withdrawn });
        }

        CaseWorkflow.Resolve(b, by, resolution, PeriodKinds);
    }

    /// <summary>戒毒条例 24②: the person's deadlines stop while the period is suspended (held provisional: they never fire).</summary>
    public static void Pause(DecisionBuilder b, Actor by)
    {
        foreach (var d in b.State.Deadlines.Where(d => d.Status == DeadlineStatus.Open && !d.Provisional && PersonsSteps.Contains(d.Step)).ToList())
        {
            b.SetDeadline(by, d with { Provisional = true });
        }
    }

    /// <summary>On release from custody the held deadlines run again, moved on by the days suspended (our reading of 戒毒条例 24②).</summary>
    public static void Resume(DecisionBuilder b, Actor by, int days)
    {
        foreach (var d in b.State.Deadlines.Where(d => d.Status == DeadlineStatus.Open && d.Provisional && PersonsSteps.Contains(d.Step)).ToList())
        {
            b.SetDeadline(by, d with { LastDay = d.LastDay.AddDays(days), DueAt = d.DueAt.AddDays(days), Provisional = false });
        }
    }

    /// <summary>A contact with the person (a report, a test, an interview): the contact period starts again and 失联 ends.</summary>
    public static void Contacted(DecisionBuilder b, Actor by, DateTimeOffset at)
    {
        var c = b.State;
        if (c.Community is not { StartedOn: not null, EndReason: null } || c.State == CaseState.Suspended)
        {
            return;
        }

        // From the latest contact: a check entered late, dated before another, never moves the deadline back.
        var latest = new[] { at, c.Community.LastContactAt, c.ReportedAt, c.Community.Move?.ReportedAt }.Max()!.Value;
        b.SetDeadline(by, Contact(latest, b.Context.Calendar, b.Context.PolicyOf(c.OfficeId)));
        if (b.State.DeadlineFor(DeadlineStep.Contact) is { DueAt: var due } && due > b.Now)
        {
            CaseWorkflow.Resolve(b, by, "已恢复联系", EscalationKind.NoContact);
        }
    }

    /// <summary>社区戒毒 or 社区康复, as a letter names it.</summary>
    public static string KindName(Case c) => c.Community?.Kind == CommunityKind.Detox ? "社区戒毒" : "社区康复";
}
