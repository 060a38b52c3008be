using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The centre the person was delivered to records the intake (入所). The delivery is done; in a public-security centre the transfer
/// window opens 3 months later and closes at 6, or 12 under a provincial plan (戒毒条例 27②③).
/// </summary>
[WireName("recordIntake")]
public sealed record RecordIntake(Actor By, DateTimeOffset IntakeAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (ChainRules.FromDecision(c) is { } notChain)
        {
            return notChain;
        }

        if (Checks.Party(By, c.CentreId, "Only the centre the person is delivered to records the intake.") is { } forbidden)
        {
            return forbidden;
        }

        if (c.Commitment!.IntakeAt is { } done)
        {
            return done == IntakeAt ? null : Rejection.Conflict("already-taken-in", $"The intake was already recorded at {done:O}.");
        }

        if (Checks.First(
                Checks.InState(c, "not-being-delivered", "Only a person being delivered is taken in.", CaseState.Decided),
                Checks.When(b, "intakeAt", IntakeAt, ChinaTime.StartOfDay(ChinaTime.LocalDate(c.Commitment.ServedAt)), "decision-served")) is { } problem)
        {
            return problem;
        }

        b.Add(new IntakeRecorded(b.Now, By, IntakeAt));
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Delivery)!, IntakeAt, b.Now));
        CaseWorkflow.Resolve(b, By, "人员已送达入所", EscalationKind.NotDelivered, EscalationKind.IntakeRefused);
        if (b.Context.Directory.Find(c.CentreId) is { IsPublicSecurityCentre: true })
        {
            b.SetDeadline(By, DeadlinePlanner.Transfer(ChinaTime.LocalDate(IntakeAt), b.Context.PolicyOf(c.CentreId)));
        }

        return null;
    }
}

/// <summary>The person was taken into the centre.</summary>
[WireName("intakeRecorded")]
public sealed record IntakeRecorded(DateTimeOffset At, Actor By, DateTimeOffset IntakeAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.InCentre,
        Commitment = c.Commitment! with { IntakeAt = IntakeAt, Centres = [.. c.Commitment.Centres, c.CentreId!] },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [after.DecisionAuthorityId], "强制隔离戒毒人员已入所",
            $"{N.Name(directory, after.CentreId)}通报：{N.Person(after)}已于{N.Instant(IntakeAt)}入所（决定书{after.Commitment!.DecisionNumber}）。", directory);
}
