using Handoff.Core.Cases;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Chain;

/// <summary>The justice centre records that it told the family in writing of the reception (a policy period: reported practice).</summary>
[WireName("recordFamilyNotice")]
public sealed record RecordFamilyNotice(Actor By, DateTimeOffset NotifiedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre that received the person records the notice to the family.")) is { } problem)
        {
            return problem;
        }

        if (c.DeadlineFor(DeadlineStep.ReceptionNotice) is not { } owed)
        {
            return Rejection.Conflict("no-reception", "No reception is recorded: there is no notice to the family owed.");
        }

        if (owed.CompletedAt is { } done)
        {
            return done == NotifiedAt ? null : Rejection.Conflict("already-notified", $"The family notice was already recorded at {done:O}.");
        }

        var received = c.Deadlines.First(d => d.Step == DeadlineStep.Reception).CompletedAt;
        if (Checks.When(b, "notifiedAt", NotifiedAt, received, "reception") is { } when)
        {
            return when;
        }

        b.Add(new FamilyNoticeRecorded(b.Now, By, NotifiedAt));
        b.SetDeadline(By, DeadlinePlanner.Complete(owed, NotifiedAt, b.Now));
        CaseWorkflow.Resolve(b, By, "已书面通知家属", EscalationKind.FamilyNotTold);
        return null;
    }
}

/// <summary>The family was told in writing of the reception.</summary>
[WireName("familyNoticeRecorded")]
public sealed record FamilyNoticeRecorded(DateTimeOffset At, Actor By, DateTimeOffset NotifiedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c;
}
