using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Execution;

/// <summary>
/// The office reports a refusal or a serious violation to the police (戒毒条例 21: "及时"): every ground found since its last report.
/// Failing to is a disciplinary matter (条例 44(二)), so the duty is a deadline with its escalation.
/// </summary>
[WireName("reportViolation")]
public sealed record ReportViolation(Actor By, DateTimeOffset ReportedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.Party(By, c.OfficeId, "Only the office executing the period reports to the police (戒毒条例 21).") is { } party)
        {
            return party;
        }

        if (c.Community is not { } k || k.Grounds.Count == 0)
        {
            return Rejection.Conflict("nothing-to-report", "No refusal or serious violation is recorded (戒毒条例 20, 21).");
        }

        if (k.ViolationsReported == k.Grounds.Count)
        {
            // The same report again, or a second one with nothing new: already in effect.
            return null;
        }

        if (Checks.When(b, "reportedAt", ReportedAt) is { } when)
        {
            return when;
        }

        b.Add(new ViolationReported(b.Now, By, ReportedAt, k.Grounds.Skip(k.ViolationsReported).ToList()));
        if (c.DeadlineFor(DeadlineStep.ViolationReport) is { CompletedAt: null } open)
        {
            b.SetDeadline(By, DeadlinePlanner.Complete(open, ReportedAt, b.Now));
        }

        CaseWorkflow.Resolve(b, By, "执行地已向公安机关报告", EscalationKind.ViolationNotReported);
        return null;
    }

    /// <summary>A ground as a letter names it, with its article.</summary>
    internal static string GroundText(ViolationGround ground) => ground switch
    {
        ViolationGround.Refusal => "逾期未报到，视为拒绝接受社区戒毒（《戒毒条例》第十四条，《禁毒法》第三十八条第一项）",
        ViolationGround.Tests => "逃避或者拒绝接受检测3次以上（《戒毒条例》第二十条）",
        ViolationGround.Departures => "擅自离开执行地所在县（市、区）3次以上（《戒毒条例》第二十条）",
        ViolationGround.DaysAway => "擅自离开执行地所在县（市、区）累计超过30日（《戒毒条例》第二十条）",
        _ => "检测结果呈阳性，期间又吸食毒品（《禁毒法》第三十八条）",
    };
}

/// <summary>A ground to report was found: a refusal, a threshold of 戒毒条例 20, or a positive test.</summary>
[WireName("violationFound")]
public sealed record ViolationFound(DateTimeOffset At, Actor By, ViolationGround Ground) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Community = c.Community! with { Grounds = [.. c.Community.Grounds, Ground] } };

    /// <summary>The notice to the office, the 派出所 and the deciding organ, composed once the office's reporting deadline is set.</summary>
    internal IReadOnlyList<Notice> Letter(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.Violation, At, [after.OfficeId, after.PoliceStationId, after.DecisionAuthorityId],
            Ground == ViolationGround.Refusal ? "拒绝接受社区戒毒" : "严重违反社区戒毒（康复）协议",
            $"{N.Person(after)}在{CommunityRules.KindName(after)}期间：{ReportViolation.GroundText(Ground)}。"
            + $"{N.Name(directory, after.OfficeId)}应在{N.Date(after.DeadlineFor(DeadlineStep.ViolationReport)?.LastDay ?? Time.ChinaTime.LocalDate(At))}前向公安机关报告"
            + "（《戒毒条例》第二十一条）；公安机关依法处理（《禁毒法》第三十八条）。", directory);
}

/// <summary>The office reported the grounds to the police.</summary>
[WireName("violationReported")]
public sealed record ViolationReported(DateTimeOffset At, Actor By, DateTimeOffset ReportedAt, IReadOnlyList<ViolationGround> Grounds) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Community = c.Community! with { ViolationsReported = c.Community.ViolationsReported + Grounds.Count } };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.Violation, At, [after.PoliceStationId, after.DecisionAuthorityId], "执行地报告违反协议情况",
            $"{N.Name(directory, after.OfficeId)}报告：{N.Person(after)}在{CommunityRules.KindName(after)}期间"
            + string.Join("；", Grounds.Select(ReportViolation.GroundText)) + $"。报告时间：{N.Instant(ReportedAt)}（《戒毒条例》第二十一条）。请依法处理。", directory);
}

/// <summary>A ground found was disproved (a refusal, the report being recorded late with a time inside the period).</summary>
[WireName("violationWithdrawn")]
public sealed record ViolationWithdrawn(DateTimeOffset At, Actor By, ViolationGround Ground) : CaseEvent(At, By)
{
    internal override Case Apply(Case c)
    {
        var grounds = c.Community!.Grounds.ToList();
        grounds.RemoveAt(grounds.LastIndexOf(Ground));
        return c with { Community = c.Community with { Grounds = grounds } };
    }

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) => Ground == ViolationGround.Refusal
        ? N.Step(after, NoticeKind.Violation, At, [after.OfficeId, after.PoliceStationId, after.DecisionAuthorityId], "更正：不属于拒绝接受社区戒毒",
            $"{N.Person(after)}已于{N.Instant(after.ReportedAt ?? At)}报到，在《戒毒条例》第十四条规定的期限内，此前因报到未及时登记而发出的“拒绝接受社区戒毒”通报予以更正，无需报告公安机关。", directory)
        : N.Step(after, NoticeKind.Violation, At, [after.OfficeId, after.PoliceStationId, after.DecisionAuthorityId], "更正：不属于严重违反协议",
            $"{N.Person(after)}的离开情况经执行地更正（累计擅自离开{after.Community!.DaysAwayOn(Time.ChinaTime.LocalDate(At))}日、{after.Community.Departures}次），"
            + $"此前通报的“{ReportViolation.GroundText(Ground)}”不成立，予以更正，无需报告公安机关。", directory);
}
