using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Execution;

/// <summary>
/// Detention or arrest suspends the community period (戒毒条例 24②); release resumes it. Whether the time in custody counts is not said
/// (chain.md §5): we pause it — the person's deadlines stop and the period's end moves on by the days suspended. Recorded by the office,
/// or by the police who detained the person.
/// </summary>
[WireName("suspendCommunity")]
public sealed record SuspendCommunity(Actor By, SuspensionReason Reason, DateTimeOffset SuspendedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (new[] { c.OfficeId, c.PoliceStationId, c.DecisionAuthorityId }.All(id => id != By.OrganisationId))
        {
            return Rejection.Forbidden("Only the office, the police station or the deciding organ records a suspension (戒毒条例 24).");
        }

        if (c.Community is not { EndReason: null } k)
        {
            return Rejection.Conflict("no-community-period", "No community period is under way.");
        }

        if (k.SuspendedAt is { } since)
        {
            return since == SuspendedAt ? null : Rejection.Conflict("already-suspended", $"The period is already suspended since {since:O}.");
        }

        if (Checks.When(b, "suspendedAt", SuspendedAt, k.OrderServedAt ?? c.ReportedAt, k.OrderServedAt is null ? "report" : "order") is { } when)
        {
            return when;
        }

        if (k.ResumedAt is { } resumed && SuspendedAt < resumed)
        {
            // The same custody recorded again by another party (the office and the 派出所 both may): its days would count twice.
            return Rejection.Conflict("suspension-overlaps", $"A suspension was already recorded up to the release from custody at {resumed:O}.", "suspendedAt");
        }

        if (k.AwaySince is { } away)
        {
            // Detained while away without leave: from then the person is in custody, not away (戒毒条例 20 counts days at liberty).
            b.Add(new AbsenceEnded(b.Now, By, ChinaTime.LocalDate(SuspendedAt) is var day && day > away ? day : away));
            if (b.State.DeadlineFor(DeadlineStep.AwayLimit) is { Status: DeadlineStatus.Open } limit)
            {
                b.SetDeadline(By, limit with { Status = DeadlineStatus.Withdrawn });
            }
        }

        b.Add(new CommunitySuspended(b.Now, By, Reason, SuspendedAt));
        CommunityRules.Pause(b, By);
        return null;
    }
}

/// <summary>The person is released from custody: the period resumes, its end and the person's deadlines moved on by the days suspended.</summary>
[WireName("resumeCommunity")]
public sealed record ResumeCommunity(Actor By, DateTimeOffset ResumedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (new[] { c.OfficeId, c.PoliceStationId, c.DecisionAuthorityId }.All(id => id != By.OrganisationId))
        {
            return Rejection.Forbidden("Only the office, the police station or the deciding organ records the release from custody.");
        }

        if (c.Community?.SuspendedAt is not { } since)
        {
            return c.Community is { DaysSuspended: > 0 } ? null : Rejection.Conflict("not-suspended", "The period is not suspended.");
        }

        if (Checks.When(b, "resumedAt", ResumedAt, since, "suspension") is { } when)
        {
            return when;
        }

        var days = ChinaTime.LocalDate(ResumedAt).DayNumber - ChinaTime.LocalDate(since).DayNumber;
        b.Add(new CommunityResumed(b.Now, By, ResumedAt, days));
        CommunityRules.Resume(b, By, days);
        return null;
    }
}

/// <summary>The period was suspended (戒毒条例 24②).</summary>
[WireName("communitySuspended")]
public sealed record CommunitySuspended(DateTimeOffset At, Actor By, SuspensionReason Reason, DateTimeOffset SuspendedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.Suspended,
        Community = c.Community! with { SuspendedAt = SuspendedAt, SuspensionReason = Reason },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [after.OfficeId, after.PoliceStationId, after.DecisionAuthorityId], $"{CommunityRules.KindName(after)}中止",
            $"{N.Person(after)}于{N.Instant(SuspendedAt)}被依法{(Reason == SuspensionReason.Arrest ? "逮捕" : "拘留")}，{CommunityRules.KindName(after)}中止"
            + "（《戒毒条例》第二十四条），有关期限暂停，释放后继续执行。", directory);
}

/// <summary>The period resumed after custody; <paramref name="Days"/> were suspended.</summary>
[WireName("communityResumed")]
public sealed record CommunityResumed(DateTimeOffset At, Actor By, DateTimeOffset ResumedAt, int Days) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        // Back to where it stood: awaiting the report (or refused, the report period having passed), reported, or under way.
        State = c.ReportedAt is null
            ? c.DeadlineFor(DeadlineStep.Report) is { Status: DeadlineStatus.Missed } ? CaseState.LostContact : CaseState.Ordered
            : c.AgreementSignedAt is null ? CaseState.Reported : CaseState.AgreementSigned,
        Community = c.Community! with
        {
            SuspendedAt = null,
            SuspensionReason = null,
            ResumedAt = ResumedAt,
            DaysSuspended = c.Community.DaysSuspended + Days,
            EndsOn = c.Community.EndsOn?.AddDays(Days),
        },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [after.OfficeId, after.PoliceStationId, after.DecisionAuthorityId], $"{CommunityRules.KindName(after)}恢复执行",
            $"{N.Person(after)}已于{N.Instant(ResumedAt)}释放，{CommunityRules.KindName(after)}继续执行（《戒毒条例》第二十四条）。中止{Days}日，"
            + (after.Community!.EndsOn is { } end ? $"期满日顺延至{N.Date(end)}。" : "有关期限相应顺延。"), directory);
}
