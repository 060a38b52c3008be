using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The centre records an escape. The time away does not count toward the term (戒毒条例 32): until the return the release date is not
/// known, so its deadlines are held (provisional) — nothing escalates against a date that will move. The deciding organ is told.
/// </summary>
[WireName("recordEscape")]
public sealed record RecordEscape(Actor By, DateTimeOffset EscapedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre holding the person records an escape.")) is { } problem)
        {
            return problem;
        }

        if (c.Commitment!.EscapedAt is { } away)
        {
            return away == EscapedAt ? null : Rejection.Conflict("already-away", $"The escape was already recorded at {away:O}.");
        }

        if (Checks.First(
                Checks.InState(c, "not-in-centre", "Only a person held in the centre can escape from it.", CaseState.InCentre, CaseState.Scheduled, CaseState.Acknowledged),
                Checks.When(b, "escapedAt", EscapedAt, c.Commitment.IntakeAt, "intake")) is { } state)
        {
            return state;
        }

        b.Add(new EscapeRecorded(b.Now, By, EscapedAt));
        ChainRules.PlanRelease(b, By);
        return null;
    }
}

/// <summary>The person escaped; the term's clock stops (戒毒条例 32).</summary>
[WireName("escapeRecorded")]
public sealed record EscapeRecorded(DateTimeOffset At, Actor By, DateTimeOffset EscapedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Commitment = c.Commitment! with { EscapedAt = EscapedAt, EverEscaped = true } };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [after.DecisionAuthorityId, after.OfficeId, after.PoliceStationId], "强制隔离戒毒人员脱逃",
            $"{N.Name(directory, after.CentreId)}通报：{N.Person(after)}于{N.Instant(EscapedAt)}脱逃。脱逃期间不计入强制隔离戒毒期限（《戒毒条例》第三十二条），"
            + "解除日期待其被带回后重新计算，有关期限暂停。请协助查找。", directory);
}

/// <summary>
/// The person is back in the centre after an escape: the days away are added to the term (戒毒条例 32), the release deadlines follow the
/// new last day, and an office already told of the release is told the new date.
/// </summary>
[WireName("recordReturn")]
public sealed record RecordReturn(Actor By, DateTimeOffset ReturnedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre the person escaped from records the return.")) is { } problem)
        {
            return problem;
        }

        if (c.Commitment!.EscapedAt is not { } escapedAt)
        {
            return b.State.Commitment!.EverEscaped ? null : Rejection.Conflict("not-away", "No escape is recorded.");
        }

        if (Checks.When(b, "returnedAt", ReturnedAt, escapedAt, "escape") is { } when)
        {
            return when;
        }

        // Whole days away: the day of the escape is served, the day of the return is not counted twice.
        var days = ChinaTime.LocalDate(ReturnedAt).DayNumber - ChinaTime.LocalDate(escapedAt).DayNumber;
        var previous = c.ReleaseDate;
        b.Add(new ReturnRecorded(b.Now, By, ReturnedAt, days, c.Commitment.TermEnds.AddDays(days), previous));
        ChainRules.ReleaseMoved(b, By, previous);
        return null;
    }
}

/// <summary>The person was brought back; the term's last day moved by the days away.</summary>
[WireName("returnRecorded")]
public sealed record ReturnRecorded(DateTimeOffset At, Actor By, DateTimeOffset ReturnedAt, int DaysAway, DateOnly TermEnds, DateOnly PreviousTermEnds)
    : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        ReleaseDate = TermEnds,
        Commitment = c.Commitment! with { EscapedAt = null, DaysAway = c.Commitment.DaysAway + DaysAway, TermEnds = TermEnds },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.ReleaseDateChanged(after, At, PreviousTermEnds, $"脱逃{DaysAway}日不计入期限，《戒毒条例》第三十二条", By.OrganisationId, directory);
}
