using System.Globalization;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Statistics;
using Handoff.Core.Time;

namespace Handoff.Pages.Infrastructure;

/// <summary>
/// The words and dates of the pages, in the plain Chinese a township worker uses (出所、报到、签订协议、脱失). Dates are Asia/Shanghai,
/// written the Chinese way: 2026年3月2日.
/// </summary>
public static class Zh
{
    public static string Date(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日");

    public static string Date(DateTimeOffset instant) => Date(ChinaTime.LocalDate(instant));

    public static string Instant(DateTimeOffset instant)
    {
        var local = instant.ToOffset(ChinaTime.Offset);
        return Date(DateOnly.FromDateTime(local.DateTime)) + local.ToString(" HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The release as lists show it: the planned date, and once recorded when the person actually left (计划 and 实际 apart: a release
    /// may happen days before or after the notice's date, and the 15 days count from the actual one).
    /// </summary>
    public static string Release(DateOnly planned, DateTimeOffset? releasedAt) =>
        releasedAt is { } at ? $"计划{Date(planned)}，实际{Instant(at)}出所" : $"计划{Date(planned)}出所";

    /// <summary>A deadline's end: 24:00 of its last day is written as that day's 24时, as the law counts it (民法典 203).</summary>
    public static string DeadlineEnd(Deadline d) =>
        d.DueAt == ChinaTime.EndOfDay(d.LastDay) ? Date(d.LastDay) + "24时" : Instant(d.DueAt); // an hours period (禁毒法 40: 24小时) ends at its minute

    /// <summary>
    /// A deadline's end as far as it is known: the agreement's counts from the report (戒毒条例 16), so until then it has none; the report's
    /// counts from the release (戒毒条例 38), so until then it is the planned date's.
    /// </summary>
    public static string DeadlineEndAsKnown(Deadline d) => d switch
    {
        { Provisional: true, Step: DeadlineStep.Agreement } => "报到后计算",
        { Provisional: true } => "（按计划出所日期）" + DeadlineEnd(d),
        _ => DeadlineEnd(d),
    };

    public static string State(string state) => state switch
    {
        "scheduled" => "待出所",
        "acknowledged" => "已签收，待出所",
        "released" => "已出所，待报到",
        "reported" => "已报到，待签协议",
        "agreementSigned" => "社区执行中",
        "ordered" => "已责令社区戒毒，待报到",
        "suspended" => "中止（被羁押）",
        "ended" => "已解除/终止",
        "lostContact" => "脱失",
        "cancelled" => "已撤销",
        "completed" => "已出所（无社区康复）",
        "decided" => "已决定，待送所",
        "inCentre" => "在所执行",
        "transferring" => "移送中，待接收",
        _ => state,
    };

    public static string State(CaseState state) => State(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(state.ToString()));

    public static string Step(DeadlineStep step) => step switch
    {
        DeadlineStep.Delivery => "送所执行",
        DeadlineStep.DecisionNotices => "通知家属、单位和派出所（24小时内）",
        DeadlineStep.Transfer => "移送司法行政戒毒所",
        DeadlineStep.Reception => "接收移送人员",
        DeadlineStep.ReceptionNotice => "接收后书面通知家属",
        DeadlineStep.TermDecision => "期限变更决定（7日内）",
        DeadlineStep.TermNotices => "期限变更通知家属（24小时内）",
        DeadlineStep.Notice => "提前通知（出所前3日）",
        DeadlineStep.Acknowledgement => "签收通知",
        DeadlineStep.Release => "登记出所",
        DeadlineStep.Report => "报到（15日内）",
        DeadlineStep.Contact => "检测或谈话（联系期限）",
        DeadlineStep.ViolationReport => "向公安机关报告违反协议情况",
        DeadlineStep.AwayLimit => "擅自离开累计满30日",
        DeadlineStep.MoveFile => "转送变更执行地材料",
        DeadlineStep.MoveAcknowledgement => "新执行地签收材料",
        DeadlineStep.MoveReport => "到新执行地报到（15日内）",
        DeadlineStep.MoveAgreement => "与新执行地签订协议",
        DeadlineStep.EndMaterials => "送解除材料",
        DeadlineStep.Expiry => "期满",
        DeadlineStep.EndNotice => "解除通知（期满后7日内）",
        _ => "签订协议（报到后）",
    };

    /// <summary>
    /// A deadline's outcome in words that tell its cases apart: a missed step never done, done late, or recorded only after the deadline
    /// with a time before it (the step counts when it was received: it was escalated meanwhile).
    /// </summary>
    public static string Outcome(Deadline d) => d switch
    {
        { Status: DeadlineStatus.Missed, CompletedAt: null } => "超期未完成",
        { Status: DeadlineStatus.Missed, CompletedAt: { } at } when at < d.DueAt => "期限后才登记",
        { Status: DeadlineStatus.Missed } => "超期后完成",
        _ => Status(d.Status),
    };

    public static string Status(DeadlineStatus status) => status switch
    {
        DeadlineStatus.Open => "未到期",
        DeadlineStatus.Met => "按时",
        DeadlineStatus.Missed => "超期",
        _ => "不再需要",
    };

    /// <summary>An escalation kind's one Chinese name: the notices' (<see cref="Handoff.Core.Notices.NoticeComposer.KindTitle"/>), on every page and in the CSV.</summary>
    public static string Escalation(EscalationKind kind) => Handoff.Core.Notices.NoticeComposer.KindTitle(kind);

    public static string Escalation(string name) => EscalationKinds.TryParse(name, out var kind) ? Escalation(kind) : name;

    /// <summary>A level by its number alone (a column over many cases, whose recipients differ): 第1级（责任单位）, 第2级….</summary>
    public static string Level(int level) => level == 1 ? "第1级（责任单位）" : $"第{level}级";

    /// <summary>An escalation's current level as the notices name it: its number and the organisations it went to.</summary>
    public static string LevelOf(Escalation e, OrganisationDirectory directory) =>
        Handoff.Core.Notices.NoticeComposer.LevelName(e.Level, e.Recipients.Where(r => r.Level == e.Level).Select(r => r.OrganisationId), directory);

    public static string Measure(Measure measure) => measure switch
    {
        Core.Statistics.Measure.Notice => "提前3日通知率",
        Core.Statistics.Measure.Acknowledgement => "按时签收率",
        Core.Statistics.Measure.Collection => "出所必接率",
        Core.Statistics.Measure.Report => "按期报到率",
        Core.Statistics.Measure.Execution => "执行率",
        Core.Statistics.Measure.ViolationReport => "违反协议按时报告率",
        Core.Statistics.Measure.EndNotice => "解除按时通知率",
        _ => "协议签订率",
    };

    public static string TestResult(Core.Cases.TestResult? result) => result switch
    {
        Core.Cases.TestResult.Negative => "阴性",
        Core.Cases.TestResult.Positive => "阳性",
        Core.Cases.TestResult.Missed => "未到（逃避检测）",
        Core.Cases.TestResult.Refused => "拒绝检测",
        _ => "",
    };

    public static string Collector(CollectorKind kind) => kind switch
    {
        CollectorKind.Family => "家属接回",
        CollectorKind.Police => "公安机关接回",
        CollectorKind.Office => "社区戒毒（康复）工作人员接回",
        _ => "无人接回",
    };

    public static string Kind(OrganisationKind kind) => kind switch
    {
        OrganisationKind.Centre => "强制隔离戒毒所",
        OrganisationKind.CommunityOffice => "社区戒毒社区康复工作站",
        OrganisationKind.PoliceStation => "派出所",
        OrganisationKind.DecisionAuthority => "决定机关",
        _ => "禁毒办 / 戒毒管理局",
    };

    public static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>What a refusal means, next to the field at fault. Unknown codes fall back to the API's English rule.</summary>
    /// <summary>The case number an <c>own-open-case</c> refusal names (the centre's own case), as （案件编号 HO-…）.</summary>
    private static string OwnCase(string? detail) =>
        System.Text.RegularExpressions.Regex.Match(detail ?? "", "HO-[0-9A-Z]{12}") is { Success: true } m ? $"（案件编号 {m.Value}）" : "";

    public static string Problem(string? code, string? detail) => code switch
    {
        "required" or "body-required" => "必填。",
        "invalid-name" => "姓名须为一行文字，不能为空，不能含特殊字符。",
        "invalid-text" or "reason" or "note" => "须为一行文字，不能为空，不能含特殊字符，不超过长度限制。",
        "invalid-id-number" => "身份证号码不正确（18位，校验位、出生日期和省份代码须正确）。",
        "invalid-region" => "行政区划代码不正确（6位，须在国家标准 GB/T 2260 名单内）。",
        "invalid-date" => "日期或时间格式不正确。",
        "invalid-release-type" => "请选择出所类型。",
        "rehabilitation-years-range" => "社区康复期限为0至3年。",
        "release-date-past" => "出所日期不能早于今天。",
        "release-date-too-far" => "出所日期过远。",
        "unknown-office" => "请选择一个社区戒毒社区康复工作站。",
        "office-not-at-residence" => "接收工作站须在其户籍地或居住地（戒毒条例 37）。",
        "unknown-police-station" => "请选择一个派出所。",
        "police-not-at-residence" => "派出所须为其户籍地或居住地派出所（戒毒条例 34）。",
        "unknown-decision-authority" => "请选择决定机关。",
        "open-case-exists" => "此人已有一宗未办结的案件，不能重复登记。已提示省级禁毒办。",
        "own-open-case" => "本单位已有此人一宗未办结的案件" + OwnCase(detail) + "，请在该案件中办理，无需重复登记。",
        "collector-name-required" => "请填写接回人姓名。",
        "not-later" => "新的出所日期须晚于原定日期。",
        "extension-too-long" => "出所日期最多只能比最初日期推迟一年（禁毒法 47）。",
        "already-released" => "已经登记出所。",
        "already-reported" => "已经登记报到。",
        "already-signed" => "协议已经签订。",
        "not-released" => "尚未登记出所。",
        "not-reported" => "尚未登记报到。",
        "case-cancelled" or "case-closed" => "案件已办结或已撤销。",
        "forbidden" => "本单位无权办理这一步。",
        "case-not-found" or "not-found" => "没有这宗案件，或本单位无权查看。",
        "case-unavailable" => "案件正在恢复中，请稍后再试。",
        "confirm-required" => "请勾选确认后再撤销。",
        "in-the-future" => "不能晚于现在。",
        "before-registration" => "出所时间不能早于登记出所通报的日期。",
        "before-release" => "不能早于出所时间。",
        "before-report" => "签订时间不能早于报到时间。",
        "idempotency-key-reused" => "这个表单已经提交过其他内容。请刷新页面后重新填写。",
        "unknown-centre" => "请选择一个强制隔离戒毒所。",
        "term-over" => "决定日期须在三年之内（期限2年，最多延长1年）。",
        "before-decision" => "送达时间不能早于决定日期。",
        "before-decision-served" => "入所时间不能早于决定送达。",
        "not-being-delivered" => "此人不在待送所状态。",
        "already-taken-in" => "已经登记入所。",
        "not-in-centre" => "此人不在所内。",
        "transfer-pending" => "已有一次移送在等待接收。",
        "not-public-security-centre" => "只有公安机关强制隔离戒毒所需要移送。",
        "not-justice-centre" => "请选择一个司法行政部门的强制隔离戒毒所（戒毒条例 27）。",
        "transfer-window-not-open" => "入所满3个月后才能移送（戒毒条例 27：3个月至6个月后）。",
        "before-intake" => "不能早于入所时间。",
        "before-transfer" => "接收时间不能早于移送时间。",
        "no-transfer" => "没有等待接收的移送。",
        "no-reception" => "尚未登记接收。",
        "already-notified" => "已经登记通知家属。",
        "before-reception" => "不能早于接收时间。",
        "nothing-to-notify" => "目前没有需要通知家属的决定。",
        "before-service" => "不能早于决定送达时间。",
        "already-away" => "已经登记脱逃。",
        "not-away" => "没有登记脱逃。",
        "before-escape" => "回所时间不能早于脱逃时间。",
        "person-away" => "此人脱逃未归，请先登记回所（戒毒条例 32）。",
        "proposal-pending" => "已有一份期限变更意见在等待决定。",
        "already-out-for-treatment" => "已经登记所外就医。",
        "not-out-for-treatment" => "没有登记所外就医。",
        "before-treatment" => "回所时间不能早于出所就医时间。",
        "already-refused" => "本所已拒收此人，待决定机关改送或处理。",
        "transfer-owed" => "公安机关强制隔离戒毒所应先将人员移送司法行政部门强制隔离戒毒所（戒毒条例 27），出所通报由接收所发出。",
        "not-earlier" => "提前解除的日期须早于现定解除日期。",
        "too-early" => "执行满一年后方可提前解除（禁毒法 47），且不能早于今天。",
        "escaped" => "曾脱逃的人员不得提前解除（戒毒条例 32）。",
        "invalid-kind" => "请选择延长或提前解除。",
        "no-proposal" => "没有等待决定的期限变更意见。",
        "before-proposal" => "送达时间不能早于意见提出时间。",
        "notice-already-sent" => "出所通报已经发出。",
        "release-notice-not-sent" => "请先发出出所通报（戒毒条例 34），写明接收工作站和派出所。",
        "term-governs" => "出所日期由强制隔离戒毒期限决定：如需变更，请向决定机关提出延长或提前解除的意见。",
        "not-from-decision" => "这宗案件从出所登记开始，系统中没有此前的决定、送所和移送记录。",
        _ => detail is null ? "未能办理。" : $"未能办理：{detail}",
    };

    /// <summary>The one-line confirmations a form's redirect may carry (<c>?msg=</c>): only these codes are shown.</summary>
    /// <summary>The person signed in, without the organisation's name when the sign-in repeats it (梅州市强制隔离戒毒所值班人员 →
    /// 值班人员); null when the sign-in names nobody but the organisation.</summary>
    public static string? Officer(string? displayName, string organisation)
    {
        var who = displayName is { } n && n.StartsWith(organisation, StringComparison.Ordinal) ? n[organisation.Length..].Trim() : displayName;
        return who is { Length: > 0 } && who != organisation ? who : null;
    }

    /// <summary>How far off a planned release is, in calendar days (Asia/Shanghai): 距出所还有N天, 今天出所, 计划出所日已过N天.</summary>
    public static string UntilRelease(DateOnly releaseDate, DateTimeOffset now)
    {
        var days = releaseDate.DayNumber - ChinaTime.LocalDate(now).DayNumber;
        return days > 0 ? $"距出所还有{days}天" : days == 0 ? "今天出所" : $"计划出所日已过{-days}天";
    }

    /// <summary>A notice kind as the 通知渠道 page lists what a channel sends.</summary>
    public static string NoticeKind(Handoff.Core.Notices.NoticeKind kind) => kind switch
    {
        Handoff.Core.Notices.NoticeKind.ReleaseNotice => "出所衔接通报",
        Handoff.Core.Notices.NoticeKind.ReleasePostponed => "出所日期变更",
        Handoff.Core.Notices.NoticeKind.ReleaseCancelled => "撤销出所通报",
        Handoff.Core.Notices.NoticeKind.ReleaseRecorded => "已出所",
        Handoff.Core.Notices.NoticeKind.Escalation => "督办",
        Handoff.Core.Notices.NoticeKind.EscalationResolved => "督办解除",
        Handoff.Core.Notices.NoticeKind.DuplicateRegistration => "重复登记提示",
        Handoff.Core.Notices.NoticeKind.Delivery => "送所通知",
        Handoff.Core.Notices.NoticeKind.StepRecorded => "环节登记",
        Handoff.Core.Notices.NoticeKind.Refusal => "拒收",
        Handoff.Core.Notices.NoticeKind.Transfer => "移送通知",
        Handoff.Core.Notices.NoticeKind.TermChange => "期限变更",
        Handoff.Core.Notices.NoticeKind.ReleaseDateChanged => "解除日期变更",
        Handoff.Core.Notices.NoticeKind.CommunityOrder => "责令社区戒毒",
        Handoff.Core.Notices.NoticeKind.Violation => "违反协议",
        Handoff.Core.Notices.NoticeKind.ViolationWarning => "违反协议预警",
        Handoff.Core.Notices.NoticeKind.PlaceChange => "变更执行地",
        Handoff.Core.Notices.NoticeKind.CommunityEnded => "社区期满或终止",
        _ => "测试消息",
    };

    public static string? Done(string? code) => code switch
    {
        "registered" => "出所登记已保存，出所通知已发送给接收工作站、派出所和决定机关。",
        "acknowledged" => "已签收通知。",
        "released" => "已登记出所。",
        "reported" => "已登记报到。",
        "agreement" => "已登记签订协议。",
        "postponed" => "出所日期已变更，各方已收到通知。",
        "cancelled" => "已撤销出所通报，各方已收到通知。",
        "found" => "已登记找到此人。",
        "read" => "已阅。",
        "channel-test" => "测试消息已排队发送，数秒后刷新本页查看结果。",
        "decided" => "强制隔离戒毒决定已登记，送所通知已发给戒毒所。",
        "intake" => "已登记入所。",
        "intake-refusal" => "已登记拒收，决定机关和上级已收到通知。",
        "delivery" => "已改送其他戒毒所，该所已收到通知。",
        "decision-notices" => "已登记通知家属、所在单位和派出所。",
        "transfer" => "已登记移送，接收所已收到通知。",
        "reception" => "已登记接收。",
        "reception-refusal" => "已登记拒收，移送所和上级已收到通知。",
        "family-notice" => "已登记书面通知家属。",
        "escape" => "已登记脱逃，期限暂停计算。",
        "return" => "已登记回所，解除日期已重新计算。",
        "medical-leave" => "已登记所外就医，期限连续计算。",
        "medical-return" => "已登记就医回所。",
        "term-proposal" => "意见已提交决定机关，7日内作出决定。",
        "term-decision" => "决定已登记。",
        "release-notice" => "出所通报已发出，接收工作站、派出所和决定机关已收到通知。",
        "ordered" => "责令社区戒毒决定已登记，执行地工作站和派出所已收到通知。",
        "test" => "已登记检测。",
        "interview" => "已登记谈话。",
        "absence" => "已登记离开。",
        "absence-end" => "已登记返回。",
        "violation-report" => "已登记向公安机关报告。",
        "place-change" => "变更执行地材料已转送，新执行地已收到通知。",
        "place-change-acknowledgement" => "已签收变更执行地材料，自即日起由本单位负责。",
        "suspension" => "已登记中止，有关期限暂停。",
        "resumption" => "已登记释放，恢复执行，期限相应顺延。",
        "termination" => "已登记终止。",
        "end-materials" => "已登记送解除材料。",
        "community-change" => "已变更为社区戒毒，执行地工作站和派出所已收到通知。",
        "end-notice" => "已登记解除通知，执行地已收到通知。",
        "recommitment" => "强制隔离戒毒决定已登记，送所通知已发给戒毒所。",
        "pending" => "已受理，正在处理，稍后刷新即可看到结果。",
        _ => null,
    };
}
