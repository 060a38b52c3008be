using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The receiving justice centre records the reception: the documents received and any injury noted (and signed by the transferring
/// officer and the person, 司法部令第127号 as reported). From now it answers for the person; the family is to be told in writing
/// within a policy period.
/// </summary>
/// <param name="Documents">What arrived with the person (决定书, 诊断评估, 体检 records…).</param>
/// <param name="Injuries">Injuries found at the check, or null for none.</param>
[WireName("recordReception")]
public sealed record RecordReception(Actor By, DateTimeOffset ReceivedAt, string? Documents, string? Injuries) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (ChainRules.FromDecision(c) is { } notChain)
        {
            return notChain;
        }

        if (c.Commitment!.Transfer is not { } transfer)
        {
            return c.Commitment.Centres.Count > 1 && c.CentreId == By.OrganisationId && c.Commitment.Centres[^1] == By.OrganisationId
                && b.State.Deadlines.Any(d => d.Step == DeadlineStep.Reception && d.CompletedAt == ReceivedAt)
                ? null
                : Rejection.Conflict("no-transfer", "No transfer is waiting for its reception.");
        }

        if (Checks.First(
                Checks.Party(By, transfer.ToCentreId, "Only the centre the person was transferred to records the reception."),
                Checks.Reason("documents", Documents, required: true),
                Checks.Reason("injuries", Injuries, required: false),
                Checks.When(b, "receivedAt", ReceivedAt, transfer.SentAt, "transfer")) is { } problem)
        {
            return problem;
        }

        b.Add(new ReceptionRecorded(b.Now, By, transfer.FromCentreId, ReceivedAt, Text.TextRules.CleanNote(Documents)!, Text.TextRules.CleanNote(Injuries)));
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Reception)!, ReceivedAt, b.Now));
        b.SetDeadline(By, DeadlinePlanner.ReceptionNotice(ReceivedAt, b.Context.Calendar, b.Context.PolicyOf(By.OrganisationId)));
        CaseWorkflow.Resolve(b, By, "接收单位已登记接收", EscalationKind.NotReceived);

        // The receiving centre now releases the person: the release notice it owes follows its province's policy.
        ChainRules.PlanRelease(b, By);
        return null;
    }
}

/// <summary>The justice centre received the person and answers for them from now.</summary>
[WireName("receptionRecorded")]
public sealed record ReceptionRecorded(DateTimeOffset At, Actor By, string FromCentreId, DateTimeOffset ReceivedAt, string Documents, string? Injuries)
    : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.InCentre,
        CentreId = By.OrganisationId,
        Commitment = c.Commitment! with { Transfer = null, Centres = [.. c.Commitment.Centres, By.OrganisationId] },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [FromCentreId, after.DecisionAuthorityId], "移送人员已接收",
            $"{N.Name(directory, By.OrganisationId)}通报：已于{N.Instant(ReceivedAt)}接收{N.Name(directory, FromCentreId)}移送的{N.Person(after)}。"
            + $"随附材料：{Documents}。" + (Injuries is null ? "身体检查未见伤情。" : $"身体检查发现：{Injuries}（已由移送民警和本人签字确认）。"), directory);
}
