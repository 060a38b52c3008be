using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The deciding organ sends the person to another centre (after a refusal, or before the intake): the delivery period starts again from
/// now (policy) and the new centre is told.
/// </summary>
[WireName("redirectDelivery")]
public sealed record RedirectDelivery(Actor By, string CentreId, string? Reason) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.DecisionAuthorityId, "Only the deciding organ decides where the person is delivered."),
                Checks.Reason("reason", Reason, required: false)) is { } problem)
        {
            return problem;
        }

        if (c.CentreId == CentreId && !CaseWorkflow.HasOpen(c, EscalationKind.IntakeRefused))
        {
            return null;
        }

        if (b.Context.Directory.Find(CentreId) is not { Kind: OrganisationKind.Centre })
        {
            return Rejection.Invalid("centreId", "unknown-centre", "must name a centre in the directory");
        }

        if (Checks.InState(c, "not-being-delivered", "The person was already taken in; a move between centres is a transfer.", CaseState.Decided) is { } state)
        {
            return state;
        }

        b.Add(new DeliveryRedirected(b.Now, By, CentreId, Text.TextRules.CleanNote(Reason)));
        var open = c.DeadlineFor(DeadlineStep.Delivery)!;
        var renewed = DeadlinePlanner.Delivery(b.Now, b.Context.PolicyOf(By.OrganisationId));
        // A delivery already late stays late on the record: the new centre's period runs from now, but the missed deadline is not erased.
        b.SetDeadline(By, open.Status == DeadlineStatus.Missed ? renewed with { Status = DeadlineStatus.Missed } : renewed);
        CaseWorkflow.Resolve(b, By, "决定机关已改送其他戒毒所", EscalationKind.IntakeRefused);
        return null;
    }
}

/// <summary>The person is to be delivered to another centre.</summary>
[WireName("deliveryRedirected")]
public sealed record DeliveryRedirected(DateTimeOffset At, Actor By, string CentreId, string? Reason) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { CentreId = CentreId };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.Delivery, At, [CentreId], "强制隔离戒毒人员送交通知",
            $"{N.Name(directory, By.OrganisationId)}通知：{N.Person(after)}（决定书{after.Commitment!.DecisionNumber}，{N.Date(after.Commitment.DecidedOn)}决定）改送{N.Name(directory, CentreId)}执行"
            + (Reason is null ? "。" : $"，原因：{Reason}。") + $"期限至{N.Date(after.ReleaseDate)}。请做好收治准备，收治后在系统中登记入所。", directory);
}
