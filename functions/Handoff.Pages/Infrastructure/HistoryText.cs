using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Api.Endpoints;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;

namespace Handoff.Pages.Infrastructure;

/// <summary>
/// A case's history in plain words, as the file shows and prints it: each step once, with the deadlines it set beside it (not a line of
/// "设定期限" each), an escalation saying which matter and to whom, the system's own steps named as such, and how the step was signed
/// in said in words rather than as a credential.
/// </summary>
public static class HistoryText
{
    /// <summary>One line of the history: when, what, who, and the deadlines the step set.</summary>
    /// <param name="Done">The deadlines the step completed (or withdrew), with how: a completion is not a deadline set.</param>
    public sealed record Line(DateTimeOffset At, string What, string Who, IReadOnlyList<string> Set, IReadOnlyList<string>? Done = null);

    public static IReadOnlyList<Line> Lines(CaseView c, OrganisationDirectory directory)
    {
        var kinds = c.Escalations.ToDictionary(e => e.Id, e => e.Kind, StringComparer.Ordinal);
        var lines = new List<Line>();
        foreach (var h in c.History)
        {
            if (h.Type == "DeadlineSet" && Get<Deadline>(h.Details, "deadline") is { } set)
            {
                var text = $"{Zh.Step(set.Step)} {Zh.DeadlineEndAsKnown(set)}";
                var closed = set.CompletedAt is not null || set.Status == DeadlineStatus.Withdrawn;
                // Beside the step of the same instant that set it (the first: the escalations it opened come after it).
                if (lines.FindIndex(l => l.At == h.At) is >= 0 and var step)
                {
                    lines[step] = closed
                        ? lines[step] with { Done = [.. lines[step].Done ?? [], $"{Zh.Step(set.Step)}（{Zh.Outcome(set)}）"] }
                        : lines[step] with { Set = [.. lines[step].Set, text] };
                    continue;
                }

                lines.Add(new Line(h.At, "设定期限", Who(h, directory, kinds), [text]));
                continue;
            }

            lines.Add(new Line(h.At, What(h, kinds, directory), Who(h, directory, kinds), []));
        }

        return lines;
    }

    private static string What(HistoryView h, IReadOnlyDictionary<string, EscalationKind> kinds, OrganisationDirectory directory)
    {
        string Kind() => h.Details["escalationId"]?.GetValue<string>() is { } id && kinds.TryGetValue(id, out var k) ? NoticeComposer.KindTitle(k) : "督办";
        string To() => string.Join("、", (Get<List<string>>(h.Details, "recipients") ?? []).Select(r => directory.Find(r)?.Name ?? r));
        return h.Type switch
        {
            "ReleaseRegistered" => "填报出所通报，通知接收工作站、派出所和决定机关",
            "NoticeAcknowledged" => "工作站签收出所通知",
            "ReleaseRecorded" => "登记出所（人员已出所）",
            "ReportRecorded" => "登记报到",
            "AgreementRecorded" => "签订协议",
            "ReleasePostponed" => $"变更出所日期为{(Get<DateOnly?>(h.Details, "newReleaseDate") is { } d ? Zh.Date(d) : "")}{Reason(h)}",
            "ReleaseCancelled" => "撤销出所通报" + Reason(h),
            "PersonFound" => "找到此人（找到时间 " + (Get<DateTimeOffset?>(h.Details, "foundAt") is { } found ? Zh.Instant(found) : "未填")
                + (h.Details["note"]?.GetValue<string>() is { Length: > 0 } note ? $"；{note}" : "") + "）",
            "DeadlineMissed" => $"{(Get<DeadlineStep?>(h.Details, "step") is { } s ? Zh.Step(s) : "")}期限届满，未完成",
            "EscalationOpened" => $"开始督办：{OpenedKind()}，通知{To()}",
            "EscalationClimbed" => $"督办（{Kind()}）升至第{h.Details["level"]?.GetValue<int>()}级，送{To()}",
            "EscalationLadderEnded" => $"督办（{Kind()}）已到最高一级",
            "EscalationResolved" => $"督办（{Kind()}）解除：{h.Details["resolution"]?.GetValue<string>()}",
            "EscalationRead" => $"督办通知（{Kind()}）已阅",
            "StepFailed" => "一项操作未能完成，已记录",
            "CommitmentDecided" => $"作出强制隔离戒毒决定（{h.Details["decisionNumber"]?.GetValue<string>()}，{Day("decidedOn")}决定，送{Org("centreId")}执行，期限至{Day("termEnds")}）",
            "DeliveryRedirected" => $"改送{Org("centreId")}执行" + Reason(h),
            "IntakeRecorded" => $"登记入所（入所时间 {At("intakeAt")}）",
            "IntakeRefused" => $"拒绝收治，理由：{h.Details["reason"]?.GetValue<string>()}",
            "DecisionNoticesRecorded" => $"登记已通知家属、所在单位和户籍地派出所（通知时间 {At("notifiedAt")}）",
            "TransferSent" => $"移送{Org("toCentreId")}（移送时间 {At("sentAt")}）",
            "ReceptionRecorded" => $"登记接收（接收时间 {At("receivedAt")}；随附材料：{h.Details["documents"]?.GetValue<string>()}"
                + (h.Details["injuries"]?.GetValue<string>() is { Length: > 0 } injuries ? $"；伤情：{injuries}" : "；未见伤情") + "）",
            "ReceptionRefused" => $"拒绝接收，理由：{h.Details["reason"]?.GetValue<string>()}；人员仍由移送所负责",
            "FamilyNoticeRecorded" => $"登记已书面通知家属（通知时间 {At("notifiedAt")}）",
            "EscapeRecorded" => $"登记脱逃（脱逃时间 {At("escapedAt")}），期限暂停计算",
            "ReturnRecorded" => $"登记回所（回所时间 {At("returnedAt")}），脱逃{h.Details["daysAway"]?.GetValue<int>()}日不计入期限，解除日期改为{Day("termEnds")}",
            "TermChangeProposed" => Get<TermChangeKind?>(h.Details, "kind") == TermChangeKind.ToCommunity
                ? "建议变更为社区戒毒（所外就医，健康状况不再适宜回所，戒毒条例第三十一条）" + Reason(h)
                : $"提出{TermKind()}意见，解除日期拟为{Day("newTermEnds")}" + Reason(h),
            "TermChangeDecided" => (h.Details["approved"]?.GetValue<bool>() == true ? "批准" : "不批准") + $"{TermKind()}"
                + (h.Details["approved"]?.GetValue<bool>() == true ? $"，解除日期为{Day("termEnds")}" : "") + $"（送达时间 {At("servedAt")}）" + Reason(h),
            "MedicalLeaveRecorded" => $"登记所外就医（{At("leftAt")}起；{h.Details["reason"]?.GetValue<string>()}），期限连续计算",
            "MedicalReturnRecorded" => $"登记所外就医回所（{At("returnedAt")}）",
            "TermProposalLapsed" => "人员已出所，期限变更意见不再决定",
            "ReleaseNoticeSent" => $"发出出所通报：接收工作站{Org("officeId")}，派出所{Org("policeStationId")}，社区康复{h.Details["rehabilitationYears"]?.GetValue<int>()}年",
            "CommunityOrdered" => $"责令社区戒毒（{h.Details["orderNumber"]?.GetValue<string>()}，{Day("decidedOn")}决定，{At("servedAt")}送达），执行地{Org("officeId")}",
            "CommunityStarted" => $"{(Get<CommunityKind?>(h.Details, "kind") == CommunityKind.Detox ? "社区戒毒" : "社区康复")}自{Day("startedOn")}起计算，至{Day("endsOn")}期满",
            "CheckRecorded" => Check(),
            "AbsenceRecorded" => (h.Details["writtenReport"]?.GetValue<bool>() == true
                ? $"登记离开执行地县（市、区）（{Day("leftOn")}起，已书面报告"
                : $"登记未书面报告离开执行地县（市、区）（{Day("leftOn")}起") + (Get<DateOnly?>(h.Details, "returnedOn") is { } back ? $"，{Zh.Date(back)}返回）" : "）"),
            "AbsenceEnded" => $"登记返回执行地（{Day("returnedOn")}）",
            "ViolationFound" => $"发现应报告情形：{GroundText(Get<ViolationGround?>(h.Details, "ground"))}",
            "ViolationWithdrawn" => $"更正：{GroundText(Get<ViolationGround?>(h.Details, "ground"))}不成立（已在期限内报到）",
            "ViolationReported" => $"向公安机关报告违反协议情况（报告时间 {At("reportedAt")}）",
            "PlaceChangeSent" => $"变更执行地：材料转送{MoveOrg("toOfficeId")}（转送时间 {MoveAt("sentAt")}）",
            "PlaceChangeAcknowledged" => "新执行地签收变更材料，自即日起由其负责",
            "PlaceChangeReported" => $"到新执行地报到（报到时间 {At("reportedAt")}）",
            "PlaceChangeCompleted" => $"与新执行地签订新的协议（签订时间 {At("signedAt")}）",
            "CommunitySuspended" => $"中止：被依法{(Get<SuspensionReason?>(h.Details, "reason") == SuspensionReason.Arrest ? "逮捕" : "拘留")}（{At("suspendedAt")}），期限暂停",
            "CommunityResumed" => $"释放后恢复执行（{At("resumedAt")}），中止{h.Details["days"]?.GetValue<int>()}日，期满日相应顺延",
            "CommunityTerminated" => $"终止（{Day("endedOn")}）：{EndText(Get<CommunityEnd?>(h.Details, "reason"))}",
            "CommunityExpired" => $"期满解除（{Day("lastDay")}）",
            "EndMaterialsSent" => $"执行地送解除材料（送出时间 {At("sentAt")}）",
            "EndNoticeServed" => $"出具解除通知书（送达时间 {At("servedAt")}，通知执行地时间 {At("officeToldAt")}）",
            "ChangedToCommunityDetox" => $"变更为社区戒毒（{h.Details["orderNumber"]?.GetValue<string>()}，{At("servedAt")}送达，执行地{Org("officeId")}，已执行期限{h.Details["daysCredited"]?.GetValue<int>()}日折抵）",
            "Recommitted" => $"再次作出强制隔离戒毒决定（{h.Details["decisionNumber"]?.GetValue<string>()}，送{Org("centreId")}执行，期限至{Day("termEnds")}），社区执行随之结束",
            _ => h.Type,
        };

        string Check()
        {
            var check = Get<CommunityCheck>(h.Details, "check");
            return check is null ? "登记检测或谈话"
                : check.Kind == CheckKind.Interview ? $"登记谈话（{Zh.Instant(check.At)}）"
                : $"登记检测（{Zh.Instant(check.At)}）：{Zh.TestResult(check.Result)}";
        }

        string MoveOrg(string field) => h.Details["move"]?[field]?.GetValue<string>() is { } id ? directory.Find(id)?.Name ?? id : "";
        string MoveAt(string field) => h.Details["move"]?[field] is { } node && node.Deserialize<DateTimeOffset?>(ApiJson.Options) is { } t ? Zh.Instant(t) : "";

        string OpenedKind() => Get<EscalationKind?>(h.Details, "kind") is { } k ? NoticeComposer.KindTitle(k) : "督办";
        string Org(string field) => h.Details[field]?.GetValue<string>() is { } id ? directory.Find(id)?.Name ?? id : "";
        string Day(string field) => Get<DateOnly?>(h.Details, field) is { } d ? Zh.Date(d) : "";
        string At(string field) => Get<DateTimeOffset?>(h.Details, field) is { } t ? Zh.Instant(t) : "";
        string TermKind() => Get<TermChangeKind?>(h.Details, "kind") switch
        {
            TermChangeKind.Extension => "延长强制隔离戒毒期限",
            TermChangeKind.ToCommunity => "变更为社区戒毒",
            _ => "提前解除强制隔离戒毒",
        };
    }

    /// <summary>The organisation, and how it signed in, in words; the system's own steps (a deadline reached) as 系统.</summary>
    private static string Who(HistoryView h, OrganisationDirectory directory, IReadOnlyDictionary<string, EscalationKind> kinds)
    {
        if (h.By == "system")
        {
            // A deadline reached, or a refusal or late notice told to the supervisors at once: the system's own step either way.
            return Immediate(h, kinds) ? "系统（自动转报）" : "系统（期限到时自动）";
        }

        var how = h.Credential switch
        {
            var x when x.StartsWith("oidc:", StringComparison.Ordinal) => "，统一身份认证登录",
            var x when x.StartsWith("dev:", StringComparison.Ordinal) => "，开发环境登录",
            "api-key" => "，系统接口",
            var x when x.StartsWith("bearer:", StringComparison.Ordinal) => "，系统接口",
            _ => "",
        };
        var organisation = directory.Find(h.By)?.Name ?? h.By;
        var person = Zh.Officer(h.ByName, organisation);
        return organisation + (person is { Length: > 0 } ? $"（{person}{how}）" : how.Length > 0 ? $"（{how[1..]}）" : "");
    }

    /// <summary>An escalation told at once, by a refusal or a late notice, rather than by a deadline reached.</summary>
    private static bool Immediate(HistoryView h, IReadOnlyDictionary<string, EscalationKind> kinds) =>
        h.Type is "EscalationOpened" or "EscalationClimbed"
        && h.Details["escalationId"]?.GetValue<string>() is { } id && kinds.TryGetValue(id, out var kind)
        && kind is EscalationKind.IntakeRefused or EscalationKind.ReceptionRefused or EscalationKind.LateNotice;

    /// <summary>A ground to report, as the file says it.</summary>
    public static string GroundText(ViolationGround? ground) => ground switch
    {
        ViolationGround.Refusal => "逾期未报到，视为拒绝接受社区戒毒",
        ViolationGround.Tests => "逃避或拒绝检测3次以上",
        ViolationGround.Departures => "擅自离开执行地3次以上",
        ViolationGround.DaysAway => "擅自离开执行地累计超过30日",
        ViolationGround.DrugUse => "检测阳性（期间吸毒）",
        _ => "",
    };

    /// <summary>How a period ended early, as the file says it.</summary>
    public static string EndText(CommunityEnd? end) => end switch
    {
        CommunityEnd.Sentenced => "被依法收监执行刑罚",
        CommunityEnd.EducationMeasure => "被依法采取强制性教育措施",
        CommunityEnd.Deceased => "本人死亡",
        CommunityEnd.Recommitted => "再次被决定强制隔离戒毒",
        _ => "期满解除",
    };

    private static string Reason(HistoryView h) => h.Details["reason"]?.GetValue<string>() is { Length: > 0 } r ? $"，理由：{r}" : "";

    private static T? Get<T>(JsonObject details, string name) =>
        details[name] is { } node ? node.Deserialize<T>(ApiJson.Options) : default;
}
