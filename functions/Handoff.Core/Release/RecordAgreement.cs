using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Cases;

/// <summary>The office records the signed agreement (戒毒条例 16): the handoff is complete and the community period is under way. At the
/// office a person moved to, it is the new agreement of 戒毒条例 22③.</summary>
[WireName("recordAgreement")]
public sealed record RecordAgreement(Actor By, DateTimeOffset SignedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (c.Community?.Move is { } move && By.OrganisationId == move.ToOfficeId)
        {
            // 戒毒条例 22③: the new agreement at the office the person moved to.
            return Execution.SendPlaceChange.Agreement(b, By, move, SignedAt);
        }

        if (By.OrganisationId != c.OfficeId)
        {
            return Rejection.Forbidden("Only the receiving office records the agreement.");
        }

        if (c.AgreementSignedAt is not null)
        {
            return c.AgreementSignedAt == SignedAt
                ? null
                : Rejection.Conflict("already-signed", $"The agreement was already recorded as signed at {c.AgreementSignedAt:O}.");
        }

        if (c.State != CaseState.Reported)
        {
            return Rejection.Conflict("not-reported", "The agreement follows the report (戒毒条例 16); no report is recorded.");
        }

        if (Checks.When(b, "signedAt", SignedAt, c.ReportedAt, "report") is { } when)
        {
            return when;
        }

        b.Add(new AgreementRecorded(b.Now, By, SignedAt));
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Agreement)!, SignedAt, b.Now));
        CaseWorkflow.Resolve(b, By, $"{Execution.CommunityRules.KindName(c)}协议已签订", EscalationKind.NoAgreement);
        return null;
    }
}

/// <summary>The agreement was signed: the community period is under way.</summary>
[WireName("agreementRecorded")]
public sealed record AgreementRecorded(DateTimeOffset At, Actor By, DateTimeOffset SignedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { AgreementSignedAt = SignedAt, State = CaseState.AgreementSigned };
}
