using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Cases;

/// <summary>The receiving office acknowledges the release notice (policy: within <see cref="HandoffPolicy.AcknowledgementDays"/>).</summary>
[WireName("acknowledgeNotice")]
public sealed record AcknowledgeNotice(Actor By) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (By.OrganisationId != c.OfficeId)
        {
            return Rejection.Forbidden("Only the receiving office acknowledges the release notice.");
        }

        if (c.AcknowledgedAt is not null)
        {
            return null;
        }

        if (c.State == CaseState.Cancelled)
        {
            return Rejection.Conflict("case-cancelled", "The release was cancelled; there is nothing to acknowledge.");
        }

        b.Add(new NoticeAcknowledged(b.Now, By));
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Acknowledgement)!, b.Now, b.Now));
        CaseWorkflow.Resolve(b, By, "执行地已签收出所衔接通报", EscalationKind.LateNotice, EscalationKind.NotAcknowledged);
        return null;
    }
}

/// <summary>The receiving office acknowledged the release notice.</summary>
[WireName("noticeAcknowledged")]
public sealed record NoticeAcknowledged(DateTimeOffset At, Actor By) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        AcknowledgedAt = At,
        State = c.State == CaseState.Scheduled ? CaseState.Acknowledged : c.State,
    };
}
