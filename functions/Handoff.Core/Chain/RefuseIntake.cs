using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The centre refuses the person delivered to it, saying why (e.g. 山东禁毒条例 §43: a life-threatening illness; 上海 §33②). The refusal
/// goes back to the deciding organ, which still owes the delivery — to another centre (<see cref="RedirectDelivery"/>) — and to the
/// supervisors above it at once, as a refusal cannot be undone.
/// </summary>
[WireName("refuseIntake")]
public sealed record RefuseIntake(Actor By, string? Reason) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre the person is delivered to refuses the intake."),
                Checks.Reason("reason", Reason, required: true)) is { } problem)
        {
            return problem;
        }

        if (c.Commitment!.IntakeAt is not null)
        {
            return Rejection.Conflict("already-taken-in", "The person was already taken in.");
        }

        var reason = Text.TextRules.CleanNote(Reason)!;
        if (CaseWorkflow.HasOpen(c, EscalationKind.IntakeRefused) && c.Commitment.Refusals.LastOrDefault() is { } last && last.CentreId == By.OrganisationId)
        {
            // Refused already, and the deciding organ has not acted: the same refusal again is a repeat; another is not a second refusal.
            return last.Reason == reason ? null : Rejection.Conflict("already-refused", $"The centre refused the person at {last.At:O}; the deciding organ has not yet acted on it.");
        }

        if (Checks.InState(c, "not-being-delivered", "Only a person being delivered can be refused.", CaseState.Decided) is { } state)
        {
            return state;
        }

        b.Add(new IntakeRefused(b.Now, By, c.CentreId!, reason));
        CaseWorkflow.OpenAsNotice(b, EscalationKind.IntakeRefused);
        return null;
    }
}

/// <summary>The centre refused the person; the reason stays in the file.</summary>
[WireName("intakeRefused")]
public sealed record IntakeRefused(DateTimeOffset At, Actor By, string CentreId, string Reason) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        Commitment = c.Commitment! with { Refusals = [.. c.Commitment.Refusals, new Refusal(CentreId, At, Reason)] },
    };
}
