using Handoff.Core.Cases;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Chain;

/// <summary>
/// The justice centre refuses a transferred person, saying why (司法部令第127号 as reported: pregnant, or nursing a baby under one). The
/// person stays with the sending centre, which is told at once with the supervisors above it, and still owes the transfer by the end of
/// the window.
/// </summary>
[WireName("refuseReception")]
public sealed record RefuseReception(Actor By, string? Reason) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (ChainRules.FromDecision(c) is { } notChain)
        {
            return notChain;
        }

        var reason = Text.TextRules.CleanNote(Reason);
        if (c.Commitment!.Transfer is not { } transfer)
        {
            return c.Commitment.Refusals.LastOrDefault() is { } last && last.CentreId == By.OrganisationId && last.Reason == reason
                ? null
                : Rejection.Conflict("no-transfer", "No transfer is waiting for its reception.");
        }

        if (Checks.First(
                Checks.Party(By, transfer.ToCentreId, "Only the centre the person was transferred to refuses the reception."),
                Checks.Reason("reason", Reason, required: true)) is { } problem)
        {
            return problem;
        }

        b.Add(new ReceptionRefused(b.Now, By, reason!));
        if (c.DeadlineFor(DeadlineStep.Reception) is { Status: DeadlineStatus.Open } reception)
        {
            b.SetDeadline(By, reception with { Status = DeadlineStatus.Withdrawn });
        }

        CaseWorkflow.Resolve(b, By, "接收单位已拒收，人员仍由移送单位负责", EscalationKind.NotReceived);

        // The transfer is owed again: by the end of the same window, so a refusal late in it may already be past it.
        var window = c.DeadlineFor(DeadlineStep.Transfer)!;
        b.SetDeadline(By, window with { Status = DeadlineStatus.Open, CompletedAt = null });
        CaseWorkflow.OpenAsNotice(b, EscalationKind.ReceptionRefused);
        return null;
    }
}

/// <summary>The justice centre refused the person; they stay with the sending centre.</summary>
[WireName("receptionRefused")]
public sealed record ReceptionRefused(DateTimeOffset At, Actor By, string Reason) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.InCentre,
        Commitment = c.Commitment! with { Transfer = null, Refusals = [.. c.Commitment.Refusals, new Refusal(By.OrganisationId, At, Reason)] },
    };
}
