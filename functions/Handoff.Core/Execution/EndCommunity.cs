using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Execution;

/// <summary>
/// The period ends before its expiry: a sentence or a compulsory educational measure (戒毒条例 24①), or death. Nothing of it remains
/// due; the file closes. Recorded by the office, the police station or the deciding organ.
/// </summary>
[WireName("terminateCommunity")]
public sealed record TerminateCommunity(Actor By, CommunityEnd Reason, DateOnly EndedOn) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (new[] { c.OfficeId, c.PoliceStationId, c.DecisionAuthorityId }.All(id => id != By.OrganisationId))
        {
            return Rejection.Forbidden("Only the office, the police station or the deciding organ records the end of the period (戒毒条例 24).");
        }

        if (Reason is not (CommunityEnd.Sentenced or CommunityEnd.EducationMeasure or CommunityEnd.Deceased))
        {
            return Rejection.Invalid("reason", "invalid-reason", "must be sentenced, education-measure or deceased: an expiry is reached on its own, a new decision is recorded as one");
        }

        if (c.Community is not { } k)
        {
            return Rejection.Conflict("no-community-period", "No community period is under way.");
        }

        if (k.EndReason is { } ended)
        {
            return ended == Reason && k.EndedOn == EndedOn ? null : Rejection.Conflict("already-ended", $"The period already ended ({k.EndedOn:yyyy-MM-dd}).");
        }

        if (EndedOn > ChinaTime.LocalDate(b.Now))
        {
            return Rejection.Invalid("endedOn", "in-the-future", "must not be after today (Asia/Shanghai)");
        }

        b.Add(new CommunityTerminated(b.Now, By, Reason, EndedOn));
        CommunityRules.Close(b, By, $"{CommunityRules.KindName(b.State)}已终止");
        return null;
    }
}

/// <summary>
/// The 公安机关 serves the 解除 notice on the person and tells the office (戒毒条例 23, 40: within 7 days of the expiry). The file closes.
/// </summary>
/// <param name="ServedAt">When the 解除通知书 was served on the person and family.</param>
/// <param name="OfficeToldAt">When the office was told: the 7 days are about this.</param>
[WireName("recordEndNotice")]
public sealed record RecordEndNotice(Actor By, DateTimeOffset ServedAt, DateTimeOffset OfficeToldAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.Party(By, c.DecisionAuthorityId, "Only the 公安机关 serves the 解除 notice (戒毒条例 23, 40).") is { } party)
        {
            return party;
        }

        if (c.Community is not { EndReason: CommunityEnd.Expired } k)
        {
            return Rejection.Conflict("not-expired", "The period has not expired: the 解除 notice follows the expiry (戒毒条例 23, 40).");
        }

        if (k.EndNoticeServedAt is { } served)
        {
            return served == ServedAt ? null : Rejection.Conflict("already-served", $"The 解除 notice was already recorded as served at {served:O}.");
        }

        var expiry = ChinaTime.StartOfDay(k.EndsOn!.Value);
        if (Checks.First(
                Checks.When(b, "servedAt", ServedAt, expiry, "expiry"),
                Checks.When(b, "officeToldAt", OfficeToldAt, expiry, "expiry")) is { } when)
        {
            return when;
        }

        b.Add(new EndNoticeServed(b.Now, By, ServedAt, OfficeToldAt));
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.EndNotice)!, OfficeToldAt, b.Now));
        CaseWorkflow.Resolve(b, By, "已出具解除通知书并通知执行地", EscalationKind.EndNoticeLate);
        return null;
    }
}

/// <summary>The period expired on its last day (戒毒条例 23, 40).</summary>
[WireName("communityExpired")]
public sealed record CommunityExpired(DateTimeOffset At, Actor By, DateOnly LastDay) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.Ended,
        Community = c.Community! with { EndedOn = LastDay, EndReason = CommunityEnd.Expired, SuspendedAt = null, Move = null },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.CommunityEnded, At, [after.DecisionAuthorityId, after.OfficeId], $"{CommunityRules.KindName(after)}期满",
            $"{N.Person(after)}的{CommunityRules.KindName(after)}于{N.Date(LastDay)}期满解除（《戒毒条例》第{(after.Community!.Kind == CommunityKind.Detox ? "二十三" : "四十")}条）。"
            + $"请{N.Name(directory, after.DecisionAuthorityId)}出具解除通知书送达本人及其家属，并在7日内通知{N.Name(directory, after.OfficeId)}。", directory);
}

/// <summary>The period ended early (戒毒条例 24①, or death).</summary>
[WireName("communityTerminated")]
public sealed record CommunityTerminated(DateTimeOffset At, Actor By, CommunityEnd Reason, DateOnly EndedOn) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.Ended,
        Community = c.Community! with { EndedOn = EndedOn, EndReason = Reason, SuspendedAt = null, Move = null },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.CommunityEnded, At, [after.OfficeId, after.PoliceStationId, after.DecisionAuthorityId], $"{CommunityRules.KindName(after)}终止",
            $"{N.Person(after)}的{CommunityRules.KindName(after)}于{N.Date(EndedOn)}终止：" + Reason switch
            {
                CommunityEnd.Sentenced => "被依法收监执行刑罚（《戒毒条例》第二十四条）。",
                CommunityEnd.EducationMeasure => "被依法采取强制性教育措施（《戒毒条例》第二十四条）。",
                _ => "本人死亡。",
            }, directory);
}

/// <summary>The 解除 notice was served and the office told.</summary>
[WireName("endNoticeServed")]
public sealed record EndNoticeServed(DateTimeOffset At, Actor By, DateTimeOffset ServedAt, DateTimeOffset OfficeToldAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Community = c.Community! with { EndNoticeServedAt = ServedAt } };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.CommunityEnded, At, [after.OfficeId, after.PoliceStationId], $"解除{CommunityRules.KindName(after)}通知",
            $"{N.Name(directory, By.OrganisationId)}通知：{N.Person(after)}的{CommunityRules.KindName(after)}已于{N.Date(after.Community!.EndedOn!.Value)}期满解除，"
            + $"解除通知书已于{N.Instant(ServedAt)}送达本人。戒断3年未复吸的，自{N.Date(after.Community.DynamicControlEndsOn!.Value)}起不再实行动态管控（《戒毒条例》第七条）。", directory);
}

/// <summary>
/// The office sends the agreement and materials for the 解除 to the 公安机关 before the period's end, where its province asks for it
/// (重庆 §37: 7 working days before; <see cref="HandoffPolicy.EndMaterialsWorkingDays"/>).
/// </summary>
[WireName("sendEndMaterials")]
public sealed record SendEndMaterials(Actor By, DateTimeOffset SentAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.Party(By, c.OfficeId, "Only the office executing the period sends the materials for the 解除.") is { } party)
        {
            return party;
        }

        if (c.DeadlineFor(DeadlineStep.EndMaterials) is not { } due)
        {
            return Rejection.Conflict("no-end-materials", "The office's province asks for no materials before the end (a setting: EndMaterialsWorkingDays).");
        }

        if (due.CompletedAt is { } sent)
        {
            return sent == SentAt ? null : Rejection.Conflict("already-sent", $"The materials were already recorded as sent at {sent:O}.");
        }

        if (Checks.When(b, "sentAt", SentAt, c.ReportedAt, "report") is { } when)
        {
            return when;
        }

        b.Add(new EndMaterialsSent(b.Now, By, SentAt));
        b.SetDeadline(By, DeadlinePlanner.Complete(due, SentAt, b.Now));
        CaseWorkflow.Resolve(b, By, "执行地已送解除材料", EscalationKind.EndMaterialsLate);
        return null;
    }
}

/// <summary>The office sent the materials for the 解除.</summary>
[WireName("endMaterialsSent")]
public sealed record EndMaterialsSent(DateTimeOffset At, Actor By, DateTimeOffset SentAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c;

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [after.DecisionAuthorityId], "解除材料已送",
            $"{N.Name(directory, By.OrganisationId)}已于{N.Instant(SentAt)}送来{N.Person(after)}的{CommunityRules.KindName(after)}协议和有关材料，"
            + $"期满日{N.Date(after.Community!.EndsOn!.Value)}。请届时出具解除通知书。", directory);
}
