using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The centre proposes to extend the term or release early, on the diagnostic evaluation (禁毒法 47; 诊断评估办法 §3): the deciding organ
/// must decide within 7 days (戒毒条例 33). An early release needs at least one year served (禁毒法 47②) and no escape (戒毒条例 32); an
/// extension is at most one year in all (禁毒法 47③). Until decided, the release date stays as it is — a release never waits for it.
/// </summary>
/// <param name="NewReleaseDate">The release date the change would set.</param>
[WireName("proposeTermChange")]
public sealed record ProposeTermChange(Actor By, TermChangeKind Kind, DateOnly NewReleaseDate, string? Reason) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre holding the person proposes a change of the term."),
                Checks.Reason("reason", Reason, required: true),
                ChainRules.NotAway(c)) is { } problem)
        {
            return problem;
        }

        var k = c.Commitment!;
        if (k.Proposal is { } pending)
        {
            return pending.Kind == Kind && pending.NewTermEnds == NewReleaseDate
                ? null
                : Rejection.Conflict("proposal-pending", $"A proposal ({pending.ProposedAt:yyyy-MM-dd}) is waiting for the deciding organ's decision.");
        }

        if (Checks.InState(c, "not-in-centre", "Only the term of a person held in a centre can change.", CaseState.InCentre, CaseState.Scheduled, CaseState.Acknowledged)
            is { } state)
        {
            return state;
        }

        var today = ChinaTime.LocalDate(b.Now);
        if (Kind == TermChangeKind.ToCommunity)
        {
            // 戒毒条例 31②: only for a person out for treatment who cannot return; the release date is not what is proposed.
            if (k.OutForTreatmentSince is null)
            {
                return Rejection.Conflict("not-out-for-treatment", "A change to 社区戒毒 is proposed for a person out for treatment whose health no longer allows the return (戒毒条例 31②).");
            }
        }
        else if (Kind == TermChangeKind.Extension)
        {
            var furthest = Calendar.LegalCalendar.AddMonthsRestricted(k.OriginalTermEnds, LegalPeriods.MaxExtensionMonths).AddDays(k.DaysAway);
            if (NewReleaseDate <= k.TermEnds)
            {
                return Rejection.Invalid("newReleaseDate", "not-later", $"must be after the present release date {k.TermEnds:yyyy-MM-dd} for an extension");
            }

            if (NewReleaseDate > furthest)
            {
                return Rejection.Invalid("newReleaseDate", "extension-too-long",
                    $"must be on or before {furthest:yyyy-MM-dd}: an extension is at most one year in all (禁毒法 47: 最长可以延长一年)");
            }
        }
        else
        {
            var earliest = Calendar.LegalCalendar.AddMonthsRestricted(k.DecidedOn, LegalPeriods.EarlyReleaseAfterMonths).AddDays(k.DaysAway);
            if (k.EverEscaped)
            {
                return Rejection.Conflict("escaped", "A person who escaped is not released early (戒毒条例 32).");
            }

            if (NewReleaseDate >= k.TermEnds)
            {
                return Rejection.Invalid("newReleaseDate", "not-earlier", $"must be before the present release date {k.TermEnds:yyyy-MM-dd} for an early release");
            }

            if (NewReleaseDate < earliest || NewReleaseDate < today)
            {
                var bound = earliest > today ? earliest : today;
                return Rejection.Invalid("newReleaseDate", "too-early",
                    $"must be on or after {bound:yyyy-MM-dd}: an early release comes after at least one year (禁毒法 47②), and not in the past");
            }
        }

        var proposed = new TermChangeProposed(b.Now, By, Kind, Kind == TermChangeKind.ToCommunity ? k.TermEnds : NewReleaseDate, Text.TextRules.CleanNote(Reason));
        b.Add(proposed);
        var number = b.State.EventCount;
        b.SetDeadline(By, DeadlinePlanner.TermDecision(b.Now, Kind == TermChangeKind.ToCommunity));
        b.Notify(proposed.Letter(b.State, number, b.Context.Directory));
        return null;
    }
}

/// <summary>The centre proposed a change of the term; the deciding organ's 7 days run (戒毒条例 33).</summary>
[WireName("termChangeProposed")]
public sealed record TermChangeProposed(DateTimeOffset At, Actor By, TermChangeKind Kind, DateOnly NewTermEnds, string? Reason) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Commitment = c.Commitment! with { Proposal = new TermProposal(Kind, NewTermEnds, At, Reason) } };

    /// <summary>The deciding organ's notice, composed once the 7-day deadline it gives is set.</summary>
    internal IReadOnlyList<Notice> Letter(Case after, int eventNumber, OrganisationDirectory directory) => Kind == TermChangeKind.ToCommunity
        ? N.Step(after, NoticeKind.TermChange, At, [after.DecisionAuthorityId], "变更为社区戒毒的建议",
            $"{N.Name(directory, By.OrganisationId)}建议：{N.Person(after)}所外就医，健康状况不再适宜回所执行，建议变更为社区戒毒" + (Reason is null ? "。" : $"，理由：{Reason}。")
            + $"请于{N.Date(after.DeadlineFor(DeadlineStep.TermDecision)!.LastDay)}前作出是否批准的决定（《戒毒条例》第三十一条，7日内）；批准的，已执行的强制隔离戒毒期限折抵社区戒毒期限。",
            directory, eventNumber)
        : N.Step(after, NoticeKind.TermChange, At, [after.DecisionAuthorityId], Kind == TermChangeKind.Extension ? "延长强制隔离戒毒期限意见" : "提前解除强制隔离戒毒意见",
            $"{N.Name(directory, By.OrganisationId)}提出：{N.Person(after)}" + (Kind == TermChangeKind.Extension ? "延长" : "提前解除") + "强制隔离戒毒期限，"
            + $"解除日期由{N.Date(after.ReleaseDate)}改为{N.Date(NewTermEnds)}" + (Reason is null ? "。" : $"，理由：{Reason}。")
            + $"请于{N.Date(after.DeadlineFor(DeadlineStep.TermDecision)!.LastDay)}前作出是否批准的决定（《戒毒条例》第三十三条，7日内）。", directory, eventNumber);
}

/// <summary>The person was released before the deciding organ decided the proposal: it lapsed.</summary>
[WireName("termProposalLapsed")]
public sealed record TermProposalLapsed(DateTimeOffset At, Actor By) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Commitment = c.Commitment! with { Proposal = null } };
}
