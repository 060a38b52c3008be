using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The deciding organ decides the centre's proposal (戒毒条例 33: within 7 days; late is escalated). Approved, the release date moves, the
/// release deadlines follow it, and an office already told of the release is told the new date; the family, work unit and 派出所 are to be
/// told within 24 hours of service (戒毒条例 33). Either way the decision is served on the person at <paramref name="ServedAt"/>.
/// </summary>
[WireName("decideTermChange")]
public sealed record DecideTermChange(Actor By, bool Approved, DateTimeOffset ServedAt, string? Reason) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.DecisionAuthorityId, "Only the deciding organ decides a change of the term (戒毒条例 33)."),
                Checks.Reason("reason", Reason, required: false)) is { } problem)
        {
            return problem;
        }

        if (c.Commitment!.Proposal is not { } proposal)
        {
            return c.Commitment.LastDecision is { } last && last.Approved == Approved && last.ServedAt == ServedAt
                ? null
                : Rejection.Conflict("no-proposal", c.ReleasedAt is null ? "No proposal is waiting for a decision." : "The person was released; the proposal lapsed.");
        }

        if (Checks.When(b, "servedAt", ServedAt, proposal.ProposedAt, "proposal") is { } when)
        {
            return when;
        }

        if (proposal.Kind == TermChangeKind.ToCommunity && Approved)
        {
            // The approval names where the 社区戒毒 is executed: its own step.
            return Rejection.Conflict("use-community-change", "An approved change to 社区戒毒 names the office and police station: record it with the community-change step (戒毒条例 31②).");
        }

        var previous = c.ReleaseDate;
        b.Add(new TermChangeDecided(b.Now, By, proposal.Kind, Approved, ServedAt, Approved ? proposal.NewTermEnds : c.Commitment.TermEnds, previous, Text.TextRules.CleanNote(Reason)));
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.TermDecision)!, b.Now, b.Now));
        CaseWorkflow.Resolve(b, By, Approved ? "决定机关已批准" : "决定机关已决定不予批准", EscalationKind.TermDecisionLate);
        if (Approved)
        {
            b.SetDeadline(By, DeadlinePlanner.TwentyFourHours(DeadlineStep.TermNotices, ServedAt,
                "戒毒条例第三十三条：决定送达后24小时以内通知家属、所在单位和户籍所在地公安派出所"));
            ChainRules.ReleaseMoved(b, By, previous);
        }

        return null;
    }
}

/// <summary>The deciding organ decided the proposal; approved, the term's last day is <paramref name="TermEnds"/>.</summary>
[WireName("termChangeDecided")]
public sealed record TermChangeDecided(
    DateTimeOffset At, Actor By, TermChangeKind Kind, bool Approved, DateTimeOffset ServedAt, DateOnly TermEnds, DateOnly PreviousTermEnds, string? Reason)
    : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        ReleaseDate = TermEnds,
        ReleaseType = Approved && Kind == TermChangeKind.EarlyRelease ? ReleaseType.Early : c.ReleaseType,
        Commitment = c.Commitment! with { Proposal = null, TermEnds = TermEnds, LastDecision = new TermDecision(Kind, Approved, ServedAt) },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory)
    {
        var what = Kind switch { TermChangeKind.Extension => "延长强制隔离戒毒期限", TermChangeKind.ToCommunity => "变更为社区戒毒", _ => "提前解除强制隔离戒毒" };
        var toCentre = N.Step(after, NoticeKind.TermChange, At, [after.CentreId], Approved ? $"{what}已批准" : $"{what}未批准",
            $"{N.Name(directory, By.OrganisationId)}决定：{(Approved ? "批准" : "不批准")}{N.Person(after)}{what}" + (Approved ? $"，解除日期为{N.Date(TermEnds)}" : "")
            + (Reason is null ? "。" : $"，理由：{Reason}。") + $"决定已于{N.Instant(ServedAt)}送达本人。", directory);
        var toOffice = Approved ? N.ReleaseDateChanged(after, At, PreviousTermEnds, what + "已批准，《禁毒法》第四十七条", By.OrganisationId, directory) : [];
        return [.. toCentre, .. toOffice];
    }
}
