using System.Globalization;
using System.Text;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Time;

namespace Handoff.Core.Notices;

/// <summary>
/// Turns events into the notices they cause, with Chinese text a duty officer understands at a glance:
/// who, which step, which deadline, how late, the masked identity number. Pure: the same event gives the same notices.
/// </summary>
public static class NoticeComposer
{
    /// <summary>The notices caused by <paramref name="e"/>, given the case after it.</summary>
    public static IReadOnlyList<Notice> Compose(CaseEvent e, Case after, OrganisationDirectory directory)
    {
        var eventNumber = after.EventCount;
        switch (e)
        {
            case EscalationOpened o:
                return EscalationNotices(after, o.EscalationId, 1, o.Recipients, e.At, directory);
            case EscalationClimbed c:
                return EscalationNotices(after, c.EscalationId, c.Level, c.Recipients, e.At, directory);
            case EscalationResolved r:
                return Resolved(after, r, directory);
            default:
                return e.Notices(after, directory);
        }
    }

    /// <summary>The release notice (戒毒条例 34) to the office, the police station and the deciding organ.</summary>
    internal static IReadOnlyList<Notice> ReleaseNotices(Case after, DateTimeOffset at, OrganisationDirectory directory) =>
        Informational(after, after.EventCount, at, NoticeKind.ReleaseNotice, directory,
            "强制隔离戒毒人员出所衔接通报",
            $"{Name(directory, after.CentreId)}通报：{Person(after)}将于{Date(after.ReleaseDate)}解除强制隔离戒毒（{ReleaseTypeText(after.ReleaseType)}），"
            + (after.RehabilitationYears > 0
                ? $"责令社区康复{after.RehabilitationYears}年，执行地为{Name(directory, after.OfficeId)}。请执行地于出所当日做好接收准备，人员应在出所后15日内报到（《戒毒条例》第三十八条）。"
                : "未责令社区康复。请派出所落实出所领回（《戒毒条例》第三十四条）。"));

    /// <summary>
    /// The release's notices, composed once the decision has set the report deadline counted from the actual release (戒毒条例 38), so
    /// the letter gives the deadline the case escalates on. <paramref name="eventNumber"/> is the release event's number (its notice ids).
    /// </summary>
    public static IReadOnlyList<Notice> ReleaseRecordedNotices(ReleaseRecorded r, Case after, int eventNumber, OrganisationDirectory directory) =>
        Informational(after, eventNumber, r.At, NoticeKind.ReleaseRecorded, directory,
            "强制隔离戒毒人员已出所",
            $"{Name(directory, after.CentreId)}通报：{Person(after)}已于{Instant(r.ReleasedAt)}出所，{CollectorText(r.CollectedBy)}。"
            + (after.RehabilitationYears > 0
                ? $"应于{Date(after.DeadlineFor(DeadlineStep.Report)!.LastDay)} 24:00前到{Name(directory, after.OfficeId)}报到。"
                : ""));

    /// <summary>
    /// The notices for a registration refused because the person already has <paramref name="existing"/> open: to the province-level
    /// supervisors who may see that case (or, where the directory has none, the highest that may). The registering centre is named,
    /// the person only masked; the refused registration's id makes the notice id, so a retried registration does not notify twice.
    /// </summary>
    public static IReadOnlyList<Notice> DuplicateRegistration(Case existing, OpenCase attempt, DateTimeOffset at, OrganisationDirectory directory)
    {
        var readers = directory.All
            .Where(o => o.Kind == OrganisationKind.Supervisor && Workflow.CaseAccess.CanRead(o, existing, directory))
            .ToList();
        var widest = readers.Count == 0 ? [] : readers.Where(o => o.Region.ScopePrefix.Length == readers.Min(r => r.Region.ScopePrefix.Length)).ToList();
        var (what, releaseDate, officeId, years) = attempt switch
        {
            RegisterRelease r => ("登记出所衔接", r.ReleaseDate, (string?)r.OfficeId, r.RehabilitationYears),
            Chain.RecordDecision d => ("登记强制隔离戒毒决定", Calendar.LegalCalendar.AddMonthsRestricted(d.DecidedOn, Workflow.LegalPeriods.TermMonths), null, 0),
            Execution.RecordCommunityOrder o => ("登记责令社区戒毒决定", ChinaTime.LocalDate(o.ServedAt), o.OfficeId, Workflow.LegalPeriods.CommunityDetoxYears),
            _ => ("登记", existing.ReleaseDate, null, 0),
        };
        var text = $"{Name(directory, attempt.By.OrganisationId)}于{Instant(at)}为{Text.TextRules.Clean(attempt.Person.Name)}（身份证号{attempt.Person.MaskedIdNumber}）{what}"
            + $"（出所日期{Date(releaseDate)}" + (officeId is null ? "）" : $"，执行地{Name(directory, officeId)}）") + $"时，系统发现该人员已有未结案件：{Name(directory, existing.CentreId)}"
            + (existing.OfficeId is null ? "" : $"至{Name(directory, existing.OfficeId)}") + $"，出所日期{Date(existing.ReleaseDate)}。为保密（《戒毒条例》第七条），登记单位未被告知已有案件。"
            + "请核实是否重复登记，并协调相关单位处理。";
        var facts = new DuplicateRegistrationFacts(
            new RegistrationFacts(existing.CaseId, existing.CentreId ?? existing.DecisionAuthorityId, existing.RegisteredAt, existing.Person.Name, existing.Person.MaskedIdNumber,
                existing.ReleaseDate, existing.OfficeId, existing.RehabilitationYears),
            new RegistrationFacts(attempt.CaseId, attempt.By.OrganisationId, at, Text.TextRules.Clean(attempt.Person.Name), attempt.Person.MaskedIdNumber,
                releaseDate, officeId, years));
        return widest
            .OrderBy(o => o.Id, StringComparer.Ordinal)
            .Select(o => new Notice($"{existing.CaseId}-D-{attempt.CaseId}-{o.Id}", existing.CaseId, o.Id, NoticeKind.DuplicateRegistration, null, null, null,
                $"【重复登记提示】{Text.TextRules.Clean(attempt.Person.Name)}", Letter(directory, o.Id, text, existing), at, facts))
            .ToList();
    }

    /// <summary>
    /// A step's notice to <paramref name="recipients"/> (nulls and repeats left out), with the letter head and the case number: ids
    /// <c>{caseId}-{eventNumber}-{recipient}</c> from the case after the event.
    /// </summary>
    internal static IReadOnlyList<Notice> Step(
        Case after, NoticeKind kind, DateTimeOffset at, IEnumerable<string?> recipients, string title, string text, OrganisationDirectory directory,
        int? eventNumber = null) =>
        recipients.OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(r => new Notice($"{after.CaseId}-{eventNumber ?? after.EventCount}-{r}", after.CaseId, r, kind, null, null, null, $"【{title}】{after.Person.Name}",
                Letter(directory, r, text, after), at))
            .ToList();

    /// <summary>The release date changed after the office, police station and deciding organ were told of it.</summary>
    internal static IReadOnlyList<Notice> ReleaseDateChanged(Case after, DateTimeOffset at, DateOnly previous, string why, string announcedBy, OrganisationDirectory directory) =>
        after.OfficeId is null || after.ReleasedAt is not null || after.ReleaseDate == previous
            ? []
            : Step(after, NoticeKind.ReleaseDateChanged, at, [after.OfficeId, after.PoliceStationId, after.DecisionAuthorityId], "出所日期变更通报",
                $"{Name(directory, announcedBy)}通报：{Person(after)}的解除强制隔离戒毒日期由{Date(previous)}变更为{Date(after.ReleaseDate)}（{why}）。"
                + "各相关期限已相应调整，请按新日期做好接收准备。", directory);

    internal static List<Notice> Informational(
        Case c, int eventNumber, DateTimeOffset at, NoticeKind kind, OrganisationDirectory directory, string title, string text)
    {
        var recipients = new[] { c.OfficeId, c.PoliceStationId, c.DecisionAuthorityId }.OfType<string>().Distinct(StringComparer.Ordinal);
        return recipients
            .Select(r => new Notice(
                $"{c.CaseId}-{eventNumber}-{r}", c.CaseId, r, kind, null, null, null, $"【{title}】{c.Person.Name}",
                // Only the receiving office acknowledges a release notice (the police station and the deciding organ have nothing to sign).
                Letter(directory, r, kind == NoticeKind.ReleaseNotice && r == c.OfficeId && c.RehabilitationYears > 0 ? text + "请签收本通报。" : text, c), at))
            .ToList();
    }

    private static List<Notice> EscalationNotices(
        Case c, string escalationId, int level, IReadOnlyList<string> recipients, DateTimeOffset at, OrganisationDirectory directory)
    {
        var escalation = c.Escalations.Single(x => x.Id == escalationId);
        var title = $"【{KindTitle(escalation.Kind)}·第{level}级督办】{c.Person.Name}";
        var text = Describe(escalation.Kind, c, directory)
            + Lateness(escalation.Kind, c, at)
            + $"\n督办级别：{LevelName(level, recipients, directory)}；首次发出：{Instant(escalation.OpenedAt)}。"
            + "\n请立即核查落实，并在系统中登记处理结果。";
        return recipients
            .Select(r => new Notice(
                $"{escalationId}-L{level}-{r}", c.CaseId, r, NoticeKind.Escalation, escalationId, escalation.Kind, level, title,
                Letter(directory, r, text, c), at))
            .ToList();
    }

    private static List<Notice> Resolved(Case c, EscalationResolved r, OrganisationDirectory directory)
    {
        var escalation = c.Escalations.Single(x => x.Id == r.EscalationId);

        // A step received before the escalation went out, but applied after it (the deadline's tick could not know of it): the step
        // was on time, and the escalation should not have been sent. Said so, with when the step was received.
        var withdrawn = r.At < escalation.OpenedAt;
        var title = withdrawn ? $"【督办撤回】{KindTitle(escalation.Kind)}·{c.Person.Name}" : $"【督办已解除】{KindTitle(escalation.Kind)}·{c.Person.Name}";
        var text = withdrawn
            ? $"{KindTitle(escalation.Kind)}督办（{Instant(escalation.OpenedAt)}发出，最高第{escalation.Level}级）撤回：{r.Resolution}，"
                + $"系统已于{Instant(r.At)}受理，在期限届满之前，属按时办理。该督办发出时系统尚未处理完这一登记，特此更正，无需再作处理。"
            : $"{KindTitle(escalation.Kind)}督办（{Instant(escalation.OpenedAt)}发出，最高第{escalation.Level}级）已于{Instant(r.At)}解除：{r.Resolution}。";
        return escalation.Recipients
            .Select(x => x.OrganisationId)
            .Distinct(StringComparer.Ordinal)
            .Select(id => new Notice(
                $"{r.EscalationId}-R-{id}", c.CaseId, id, NoticeKind.EscalationResolved, r.EscalationId, escalation.Kind,
                escalation.Level, title, Letter(directory, id, text, c), r.At))
            .ToList();
    }

    /// <summary>
    /// A level as pages, notices and exports name it: its number and the organisations it went to (第3级（送梅州市禁毒委员会办公室）) —
    /// never an administrative tier, which a ladder does not follow (a centre's step climbs to its city, then its province).
    /// </summary>
    public static string LevelName(int level, IEnumerable<string> recipients, OrganisationDirectory directory)
    {
        var names = string.Join("、", recipients.Distinct(StringComparer.Ordinal).Select(r => Name(directory, r)));
        return names.Length == 0 ? $"第{level}级" : level == 1 ? $"第1级（责任单位：{names}）" : $"第{level}级（送{names}）";
    }

    /// <summary>The Chinese name of an escalation kind: the one name pages, notices and exports use.</summary>
    public static string KindTitle(EscalationKind kind) => kind switch
    {
        EscalationKind.LateNotice => "出所衔接通报逾期",
        EscalationKind.NotAcknowledged => "衔接通报未签收",
        EscalationKind.ReleaseNotRecorded => "出所情况未登记",
        EscalationKind.NotCollected => "出所无人接回",
        EscalationKind.NotReported => "逾期未报到",
        EscalationKind.NoAgreement => "社区康复协议逾期未签订",
        EscalationKind.NotDelivered => "逾期未送所执行",
        EscalationKind.IntakeRefused => "戒毒所拒绝收治",
        EscalationKind.NotNotified => "未在24小时内通知家属",
        EscalationKind.NotTransferred => "逾期未移送司法行政戒毒所",
        EscalationKind.NotReceived => "移送人员逾期未登记接收",
        EscalationKind.ReceptionRefused => "司法行政戒毒所拒绝接收",
        EscalationKind.FamilyNotTold => "接收后逾期未通知家属",
        EscalationKind.TermDecisionLate => "期限变更逾期未决定",
        EscalationKind.NoticeNotSent => "出所衔接通报逾期未发出",
        EscalationKind.NoContact => "失联",
        EscalationKind.ViolationNotReported => "违反协议情况逾期未报告",
        EscalationKind.MoveNotAcknowledged => "变更执行地材料未签收",
        EscalationKind.FileLate => "变更执行地材料逾期转送",
        EscalationKind.EndNoticeLate => "解除通知逾期",
        EscalationKind.EndMaterialsLate => "解除材料逾期未送",
        _ => kind.ToString(),
    };

    private static string Describe(EscalationKind kind, Case c, OrganisationDirectory directory) => kind switch
    {
        EscalationKind.LateNotice =>
            $"{Name(directory, c.CentreId)}于{Instant(c.DeadlineFor(DeadlineStep.Notice)?.CompletedAt ?? c.RegisteredAt)}才通报{Person(c)}的出所（出所日期{Date(c.ReleaseDate)}），"
            + $"不足《戒毒条例》第三十四条要求的解除前3日（应不晚于{Date(c.DeadlineFor(DeadlineStep.Notice)!.LastDay)}）。请执行地尽快签收并做好接收准备。",
        EscalationKind.NotAcknowledged when c.Community?.OrderNumber is { } order =>
            $"{Name(directory, c.OfficeId)}未在{Date(c.DeadlineFor(DeadlineStep.Acknowledgement)!.LastDay)} 24:00前签收{Person(c)}的责令社区戒毒通知（{order}）。",
        EscalationKind.NotAcknowledged =>
            $"{Name(directory, c.OfficeId)}未在{Date(c.DeadlineFor(DeadlineStep.Acknowledgement)!.LastDay)} 24:00前签收{Person(c)}的出所衔接通报（出所日期{Date(c.ReleaseDate)}）。",
        EscalationKind.ReleaseNotRecorded =>
            $"{Name(directory, c.CentreId)}未在出所日期{Date(c.ReleaseDate)} 24:00前登记{Person(c)}的出所情况，人员去向不明。",
        EscalationKind.NotCollected =>
            $"{Person(c)}于{Instant(c.ReleasedAt ?? c.RegisteredAt)}自{Name(directory, c.CentreId)}出所时无人接回（出所必接，《戒毒条例》第三十四条）。"
            + $"请{Name(directory, c.OfficeId)}、{Name(directory, c.PoliceStationId)}立即联系落实。",
        EscalationKind.NotReported when c.Community?.Move is { ReportedAt: null } move =>
            $"{Person(c)}的执行地已由{Name(directory, move.FromOfficeId)}变更为{Name(directory, move.ToOfficeId)}（{Date(move.ChangedOn)}），"
            + $"应于{Date(c.DeadlineFor(DeadlineStep.MoveReport)!.LastDay)} 24:00前到新执行地报到（《戒毒条例》第二十二条，15日内），至今未报到，视为脱失。"
            + (move.AcknowledgedAt is null ? $"新执行地尚未签收材料，仍由{Name(directory, move.FromOfficeId)}负责。" : ""),
        EscalationKind.NotReported when c.Community is { Kind: CommunityKind.Detox } k =>
            $"{Person(c)}的责令社区戒毒决定书（{k.OrderNumber}）已于{Instant(k.OrderServedAt ?? c.RegisteredAt)}送达，"
            + $"应于{Date(c.DeadlineFor(DeadlineStep.Report)!.LastDay)} 24:00前到{Name(directory, c.OfficeId)}报到（《戒毒条例》第十四条，15日内），至今未报到，"
            + "视为拒绝接受社区戒毒（《禁毒法》第三十八条第一项）。",
        EscalationKind.NotReported =>
            $"{Person(c)}已于{Date(ChinaTime.LocalDate(c.ReleasedAt ?? ChinaTime.StartOfDay(c.ReleaseDate)))}自{Name(directory, c.CentreId)}出所，"
            + $"应于{Date(c.DeadlineFor(DeadlineStep.Report)!.LastDay)} 24:00前到{Name(directory, c.OfficeId)}报到（《戒毒条例》第三十八条，15日内），至今未报到，视为脱失。",
        EscalationKind.NoAgreement when c.Community?.Move is { ReportedAt: { } moved } =>
            $"{Person(c)}已于{Instant(moved)}到{Name(directory, c.OfficeId)}报到，应于{Date(c.DeadlineFor(DeadlineStep.MoveAgreement)!.LastDay)} 24:00前签订新的协议（《戒毒条例》第二十二条、第十六条“及时”），尚未签订。",
        EscalationKind.NoAgreement =>
            $"{Person(c)}已于{Instant(c.ReportedAt ?? c.RegisteredAt)}报到，{Name(directory, c.OfficeId)}应于{Date(c.DeadlineFor(DeadlineStep.Agreement)!.LastDay)} 24:00前签订{Execution.CommunityRules.KindName(c)}协议（《戒毒条例》第十六条“及时”），尚未签订。",
        EscalationKind.NoContact =>
            $"{Name(directory, c.OfficeId)}自{Instant(c.Community?.LastContactAt ?? c.ReportedAt ?? c.RegisteredAt)}以来未登记对{Person(c)}的检测或谈话，"
            + $"已超过{Date(c.DeadlineFor(DeadlineStep.Contact)?.LastDay ?? c.ReleaseDate)}的联系期限，视为失联。请执行地与派出所立即查找落实。",
        EscalationKind.ViolationNotReported =>
            $"{Person(c)}在{Execution.CommunityRules.KindName(c)}期间"
            + string.Join("；", (c.Community?.Grounds ?? []).Skip(c.Community?.ViolationsReported ?? 0).Select(Execution.ReportViolation.GroundText))
            + $"，{Name(directory, c.OfficeId)}应于{Date(c.DeadlineFor(DeadlineStep.ViolationReport)?.LastDay ?? c.ReleaseDate)}前向公安机关报告（《戒毒条例》第二十一条“及时”），尚未报告。",
        EscalationKind.MoveNotAcknowledged =>
            $"{Name(directory, c.Community?.Move?.FromOfficeId)}已于{Instant(c.Community?.Move?.SentAt ?? c.RegisteredAt)}将{Person(c)}的变更执行地材料转送"
            + $"{Name(directory, c.Community?.Move?.ToOfficeId)}，接收单位未在{Date(c.DeadlineFor(DeadlineStep.MoveAcknowledgement)?.LastDay ?? c.ReleaseDate)} 24:00前签收。签收前由原执行地负责。",
        EscalationKind.FileLate =>
            $"{Person(c)}于{Date(c.Community?.Move?.RequestedOn ?? c.ReleaseDate)}报告变更执行地，{Name(directory, c.Community?.Move?.FromOfficeId ?? c.OfficeId)}"
            + $"应于{Date(c.DeadlineFor(DeadlineStep.MoveFile)?.LastDay ?? c.ReleaseDate)}前转送材料，实际于{Instant(c.Community?.Move?.SentAt ?? c.RegisteredAt)}才转送（《戒毒条例》第二十二条）。",
        EscalationKind.EndMaterialsLate =>
            $"{Person(c)}的{Execution.CommunityRules.KindName(c)}将于{Date(c.Community?.EndsOn ?? c.ReleaseDate)}期满，{Name(directory, c.OfficeId)}"
            + $"应于{Date(c.DeadlineFor(DeadlineStep.EndMaterials)?.LastDay ?? c.ReleaseDate)}前将协议和有关材料送{Name(directory, c.DecisionAuthorityId)}（本地规定），尚未登记。",
        EscalationKind.EndNoticeLate =>
            $"{Person(c)}的{Execution.CommunityRules.KindName(c)}已于{Date(c.Community?.EndedOn ?? c.ReleaseDate)}期满，{Name(directory, c.DecisionAuthorityId)}"
            + $"应出具解除通知书并于{Date(c.DeadlineFor(DeadlineStep.EndNotice)?.LastDay ?? c.ReleaseDate)}前通知{Name(directory, c.OfficeId)}（《戒毒条例》第二十三条、第四十条：7日内），尚未登记。",
        EscalationKind.NotDelivered =>
            $"{Name(directory, c.DecisionAuthorityId)}对{Person(c)}的强制隔离戒毒决定（{c.Commitment?.DecisionNumber}）已于{Instant(c.Commitment?.ServedAt ?? c.RegisteredAt)}送达，"
            + $"应送{Name(directory, c.CentreId)}执行（《禁毒法》第四十一条），该所尚未登记入所。",
        EscalationKind.IntakeRefused =>
            $"{Name(directory, c.CentreId)}拒绝收治{Person(c)}（决定书{c.Commitment?.DecisionNumber}），理由：{c.Commitment?.Refusals.LastOrDefault()?.Reason}。"
            + $"请{Name(directory, c.DecisionAuthorityId)}改送其他戒毒所或依法处理。",
        EscalationKind.NotNotified =>
            $"{Name(directory, c.DecisionAuthorityId)}应在决定送达后24小时内将{Person(c)}的决定通知其家属、所在单位和户籍所在地公安派出所（《禁毒法》第四十条、《戒毒条例》第三十三条），尚未登记已通知。",
        EscalationKind.NotTransferred =>
            $"{Person(c)}于{Instant(c.Commitment?.IntakeAt ?? c.RegisteredAt)}进入{Name(directory, c.CentreId)}，"
            + $"应在{Date(c.DeadlineFor(DeadlineStep.Transfer)?.LastDay ?? c.ReleaseDate)}前转至司法行政部门强制隔离戒毒所（《戒毒条例》第二十七条），尚未移送。",
        EscalationKind.NotReceived =>
            $"{Name(directory, c.Commitment?.Transfer?.FromCentreId ?? c.CentreId)}已于{Instant(c.Commitment?.Transfer?.SentAt ?? c.RegisteredAt)}将{Person(c)}移送"
            + $"{Name(directory, c.Commitment?.Transfer?.ToCentreId ?? c.CentreId)}，接收单位尚未登记接收或拒收。接收前由移送单位负责。",
        EscalationKind.ReceptionRefused =>
            $"{Name(directory, c.Commitment?.Refusals.LastOrDefault()?.CentreId ?? c.CentreId)}拒绝接收{Person(c)}，理由：{c.Commitment?.Refusals.LastOrDefault()?.Reason}。"
            + $"人员仍由{Name(directory, c.CentreId)}负责，应在{Date(c.DeadlineFor(DeadlineStep.Transfer)?.LastDay ?? c.ReleaseDate)}前另行移送（《戒毒条例》第二十七条）。",
        EscalationKind.FamilyNotTold =>
            $"{Name(directory, c.CentreId)}接收{Person(c)}后，应于{Date(c.DeadlineFor(DeadlineStep.ReceptionNotice)?.LastDay ?? c.ReleaseDate)}前书面通知其家属，尚未登记已通知。",
        EscalationKind.TermDecisionLate =>
            $"{Name(directory, c.CentreId)}提出的{c.Commitment?.Proposal?.Kind switch { TermChangeKind.Extension => "延长强制隔离戒毒期限", TermChangeKind.ToCommunity => "变更为社区戒毒", _ => "提前解除强制隔离戒毒" }}意见"
            + $"（{Instant(c.Commitment?.Proposal?.ProposedAt ?? c.RegisteredAt)}提出，涉及{Person(c)}），{Name(directory, c.DecisionAuthorityId)}应在7日内作出决定（《戒毒条例》{(c.Commitment?.Proposal?.Kind == TermChangeKind.ToCommunity ? "第三十一条" : "第三十三条")}），尚未决定。",
        EscalationKind.NoticeNotSent =>
            $"{Person(c)}将于{Date(c.ReleaseDate)}解除强制隔离戒毒，{Name(directory, c.CentreId)}应在{Date(c.DeadlineFor(DeadlineStep.Notice)?.LastDay ?? c.ReleaseDate)}前"
            + "发出出所衔接通报（《戒毒条例》第三十四条：解除3日前），尚未发出。",
        _ => "",
    };

    private static string Lateness(EscalationKind kind, Case c, DateTimeOffset at)
    {
        var deadline = c.Deadlines.Where(d => Workflow.CaseWorkflow.EscalationFor(d.Step) == kind && d.CompletedAt is null).MinBy(d => d.DueAt);
        if (deadline is null || at < deadline.DueAt)
        {
            return "";
        }

        var late = at - deadline.DueAt;
        var days = (int)late.TotalDays;
        var howLate = days == 0 && late.Hours == 0 ? "已到期" : days == 0 ? $"已逾期{late.Hours}小时" : $"已逾期{days}天{late.Hours}小时";
        var end = deadline.DueAt == Time.ChinaTime.EndOfDay(deadline.LastDay) ? $"{Date(deadline.LastDay)} 24:00" : Instant(deadline.DueAt);
        return $"\n截止时间：{end}；{howLate}。";
    }

    private static string Letter(OrganisationDirectory directory, string recipientId, string text, Case c)
    {
        var builder = new StringBuilder();
        builder.Append(Name(directory, recipientId)).Append("：\n");
        builder.Append(text).Append('\n');
        builder.Append("案件编号：").Append(c.CaseId);
        return builder.ToString();
    }

    internal static string Person(Case c) => $"{c.Person.Name}（身份证号{c.Person.MaskedIdNumber}）";

    internal static string Name(OrganisationDirectory directory, string? id) => directory.Find(id)?.Name ?? id ?? "（未定）";

    internal static string Date(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    internal static string Instant(DateTimeOffset at) =>
        at.ToOffset(ChinaTime.Offset).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    private static string ReleaseTypeText(ReleaseType type) => type == ReleaseType.Early ? "提前解除" : "期满解除";

    private static string CollectorText(CollectedBy by) => by.Kind switch
    {
        CollectorKind.Family => $"由家属{by.Name}接回",
        CollectorKind.Police => $"由公安机关{by.Name}接回",
        CollectorKind.Office => $"由社区康复执行地工作人员{by.Name}接回",
        _ => "无人接回",
    };
}
