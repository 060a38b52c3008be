using Handoff.Core.Cases;
using Handoff.Core.Workflow;

namespace Handoff.Core.Chain;

/// <summary>What the steps before the release share: the file must have begun with the decision, and the release follows the term.</summary>
internal static class ChainRules
{
    /// <summary>Refuses a step before the release on a case registered at the release, whose earlier links are not in the system.</summary>
    public static Rejection? FromDecision(Case c) => c.Commitment is null
        ? Rejection.Conflict("not-from-decision", "This case was registered at the release: the decision, delivery, transfer and term are not in its file.")
        : null;

    /// <summary>Refuses a step while the person is away after an escape (戒毒条例 32).</summary>
    public static Rejection? NotAway(Case c) => c.Commitment?.EscapedAt is not null
        ? Rejection.Conflict("person-away", "The person escaped and has not returned: record the return first (戒毒条例 32).")
        : null;

    /// <summary>
    /// The release deadlines for the term's last day as it now stands: the centre's release notice (戒毒条例 34) until it is sent, the
    /// release itself, and once the notice named an office the provisional report and agreement. While the person is away the term's
    /// end is not known, so they are provisional and never fire (戒毒条例 32). The release never waits for a pending term decision.
    /// </summary>
    public static void PlanRelease(DecisionBuilder b, Actor by)
    {
        var c = b.State;
        if (c.ReleasedAt is not null || c.Commitment is not { } k)
        {
            return;
        }

        var away = k.EscapedAt is not null;
        if (c.OfficeId is null)
        {
            b.SetDeadline(by, DeadlinePlanner.ReleaseNotice(c.ReleaseDate, b.Context.Calendar, b.Context.PolicyOf(c.CentreId)) with { Provisional = away });
        }

        b.SetDeadline(by, DeadlinePlanner.Release(c.ReleaseDate) with { Provisional = away });
        if (c.OfficeId is not null && c.RehabilitationYears > 0)
        {
            var report = DeadlinePlanner.Report(c.ReleaseDate, provisional: true, b.Context.Calendar);
            b.SetDeadline(by, report);
            b.SetDeadline(by, DeadlinePlanner.Agreement(report.LastDay, provisional: true, b.Context.Calendar, b.Context.PolicyOf(c.OfficeId)));
        }
    }

    /// <summary>
    /// After the term's last day moved (a return after an escape, a decided extension or early release): the release deadlines follow
    /// it, and an escalation of the old date's missed steps ends, the date it was about no longer being the release date.
    /// </summary>
    public static void ReleaseMoved(DecisionBuilder b, Actor by, DateOnly previous)
    {
        PlanRelease(b, by);
        var c = b.State;
        if (c.ReleaseDate == previous)
        {
            return;
        }

        if (c.OfficeId is not null)
        {
            // The office was told of the old date: the date-change notice this step sends is the notice of the new one (戒毒条例 34),
            // on time or not against the new date.
            var notice = DeadlinePlanner.ReleaseNotice(c.ReleaseDate, b.Context.Calendar, b.Context.PolicyOf(c.CentreId));
            b.SetDeadline(by, DeadlinePlanner.Complete(notice, b.Now, b.Now));
        }

        CaseWorkflow.Resolve(b, by, "解除日期已变更", EscalationKind.NoticeNotSent, EscalationKind.ReleaseNotRecorded);
    }

    /// <summary>On the release: a term proposal still undecided lapses — the release on expiry never waits for it (戒毒条例 33, 34).</summary>
    public static void OnRelease(DecisionBuilder b, Actor by)
    {
        if (b.State.Commitment?.Proposal is null)
        {
            return;
        }

        b.Add(new TermProposalLapsed(b.Now, by));
        if (b.State.DeadlineFor(DeadlineStep.TermDecision) is { Status: DeadlineStatus.Open } open)
        {
            b.SetDeadline(by, open with { Status = DeadlineStatus.Withdrawn });
        }

        CaseWorkflow.Resolve(b, by, "人员已解除出所，变更期限的意见不再需要决定", EscalationKind.TermDecisionLate);
    }
}
