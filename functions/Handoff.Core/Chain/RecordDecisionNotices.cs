using Handoff.Core.Cases;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Chain;

/// <summary>
/// The deciding organ records that it told the family, the work unit and the 户籍地派出所: of the decision within 24 hours of service
/// (禁毒法 40), or of a decided term change within 24 hours of its service (戒毒条例 33). It completes whichever of the two is owed.
/// </summary>
[WireName("recordDecisionNotices")]
public sealed record RecordDecisionNotices(Actor By, DateTimeOffset NotifiedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.DecisionAuthorityId, "Only the deciding organ records its notices to the family, work unit and police station.")) is { } problem)
        {
            return problem;
        }

        var owed = new[] { DeadlineStep.DecisionNotices, DeadlineStep.TermNotices }
            .Select(c.DeadlineFor)
            .FirstOrDefault(d => d is not null && d.CompletedAt is null && d.Status is DeadlineStatus.Open or DeadlineStatus.Missed);
        if (owed is null)
        {
            var done = new[] { DeadlineStep.DecisionNotices, DeadlineStep.TermNotices }.Select(c.DeadlineFor).Any(d => d?.CompletedAt == NotifiedAt);
            return done ? null : Rejection.Conflict("nothing-to-notify", "No notice to the family, work unit and police station is owed.");
        }

        var served = owed.Step == DeadlineStep.DecisionNotices ? c.Commitment!.ServedAt : owed.DueAt - TimeSpan.FromHours(24);
        if (Checks.When(b, "notifiedAt", NotifiedAt, served, "service") is { } when)
        {
            return when;
        }

        b.Add(new DecisionNoticesRecorded(b.Now, By, owed.Step, NotifiedAt));
        b.SetDeadline(By, DeadlinePlanner.Complete(owed, NotifiedAt, b.Now));
        CaseWorkflow.Resolve(b, By, "已通知家属、所在单位和户籍地派出所", EscalationKind.NotNotified);
        return null;
    }
}

/// <summary>The family, work unit and 派出所 were told (of the decision, or of a term change).</summary>
[WireName("decisionNoticesRecorded")]
public sealed record DecisionNoticesRecorded(DateTimeOffset At, Actor By, DeadlineStep Step, DateTimeOffset NotifiedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c;
}
