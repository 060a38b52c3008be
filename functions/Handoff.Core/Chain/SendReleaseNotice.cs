using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The centre holding the person sends the release notice (戒毒条例 34) for the release date the term sets — not typed, followed: it names
/// the community office, the police station that collects the person, and the years of community rehabilitation ordered (禁毒法 48,
/// 戒毒条例 37). From here the release handoff runs as for a release registered at the centre: acknowledgement, release, report, agreement.
/// Due 3 days before the release (or the province's longer period); sent late, the supervisors are told at once.
/// </summary>
[WireName("sendReleaseNotice")]
public sealed record SendReleaseNotice(Actor By, string OfficeId, string PoliceStationId, int RehabilitationYears) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre holding the person sends the release notice."),
                ChainRules.NotAway(c)) is { } problem)
        {
            return problem;
        }

        if (c.OfficeId is not null)
        {
            return c.OfficeId == OfficeId && c.PoliceStationId == PoliceStationId && c.RehabilitationYears == RehabilitationYears
                ? null
                : Rejection.Conflict("notice-already-sent", "The release notice was already sent, with other details.");
        }

        if (Checks.InState(c, "not-in-centre", "The release notice is sent for a person held in the centre.", CaseState.InCentre) is { } state)
        {
            return state;
        }

        if (b.Context.Directory.Find(c.CentreId) is { IsPublicSecurityCentre: true } && c.DeadlineFor(DeadlineStep.Transfer) is { CompletedAt: null })
        {
            // 戒毒条例 27②③: a public-security centre holds a person 6 months (12 under a plan) of a two-year term; the justice centre
            // that receives them releases them.
            return Rejection.Conflict("transfer-owed", "A public-security centre transfers the person to a justice centre (戒毒条例 27); the release notice is the receiving centre's.");
        }

        if (Problems(c, b.Context) is [var first, ..])
        {
            return first;
        }

        var notice = c.DeadlineFor(DeadlineStep.Notice)!;
        b.Add(new ReleaseNoticeSent(b.Now, By, OfficeId, PoliceStationId, RehabilitationYears));
        var sent = DeadlinePlanner.Complete(notice, b.Now, b.Now);
        b.SetDeadline(By, sent);
        CaseWorkflow.Resolve(b, By, "出所衔接通报已发出", EscalationKind.NoticeNotSent);
        if (sent.Status == DeadlineStatus.Missed && !b.State.Escalations.Any(e => e.Kind == EscalationKind.NoticeNotSent))
        {
            // Sent late, before the deadline's own escalation went out: the supervisors are told once, as for a late registration.
            CaseWorkflow.OpenAsNotice(b, EscalationKind.LateNotice);
        }

        CaseWorkflow.PlanAfterNotice(b, By, acknowledgementDue: true, planNotice: false);
        return null;
    }

    /// <summary>Every rule the notice breaks, each field on its own: the office and police station of the person's region (禁毒法 33②,
    /// 戒毒条例 34, 37②) and the years (禁毒法 48).</summary>
    public IReadOnlyList<Rejection> Problems(Case c, WorkflowContext context)
    {
        var office = context.Directory.Find(OfficeId);
        var problems = new[]
        {
            NoticeUnits.UnknownOffice(office) ?? NoticeUnits.OfficeAway(office, RehabilitationYears, c.Person),
            NoticeUnits.Police(context.Directory.Find(PoliceStationId), c.Person),
            NoticeUnits.Years(RehabilitationYears),
        }.OfType<Rejection>().ToList();
        return problems;
    }
}

/// <summary>The centre sent the release notice for the date the term sets; the release handoff starts.</summary>
[WireName("releaseNoticeSent")]
public sealed record ReleaseNoticeSent(DateTimeOffset At, Actor By, string OfficeId, string PoliceStationId, int RehabilitationYears) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.Scheduled,
        OfficeId = OfficeId,
        PoliceStationId = PoliceStationId,
        RehabilitationYears = RehabilitationYears,
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.ReleaseNotices(after, At, directory);
}
