using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The centre records that the person left for treatment outside the centre (所外就医). Unlike an escape the term runs on
/// (戒毒条例 31②: 所外就医期间，强制隔离戒毒期限连续计算), so no date moves; the deciding organ is told.
/// </summary>
/// <param name="Reason">What the treatment is for, as the centre records it.</param>
[WireName("recordMedicalLeave")]
public sealed record RecordMedicalLeave(Actor By, DateTimeOffset LeftAt, string? Reason) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre holding the person records treatment outside it."),
                Checks.Reason("reason", Reason, required: true),
                ChainRules.NotAway(c)) is { } problem)
        {
            return problem;
        }

        if (c.Commitment!.OutForTreatmentSince is { } since)
        {
            return since == LeftAt ? null : Rejection.Conflict("already-out-for-treatment", $"The person has been out for treatment since {since:O}.");
        }

        if (Checks.First(
                Checks.InState(c, "not-in-centre", "Only a person held in the centre leaves it for treatment.", CaseState.InCentre, CaseState.Scheduled, CaseState.Acknowledged),
                Checks.When(b, "leftAt", LeftAt, c.Commitment.IntakeAt, "intake")) is { } state)
        {
            return state;
        }

        b.Add(new MedicalLeaveRecorded(b.Now, By, LeftAt, Text.TextRules.CleanNote(Reason)!));
        return null;
    }
}

/// <summary>The person left the centre for treatment; the term runs on.</summary>
[WireName("medicalLeaveRecorded")]
public sealed record MedicalLeaveRecorded(DateTimeOffset At, Actor By, DateTimeOffset LeftAt, string Reason) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Commitment = c.Commitment! with { OutForTreatmentSince = LeftAt } };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [after.DecisionAuthorityId], "强制隔离戒毒人员所外就医",
            $"{N.Name(directory, after.CentreId)}通报：{N.Person(after)}于{N.Instant(LeftAt)}所外就医（{Reason}）。所外就医期间强制隔离戒毒期限连续计算"
            + "（《戒毒条例》第三十一条），解除日期不变。", directory);
}

/// <summary>The centre records the person's return from treatment outside it.</summary>
[WireName("recordMedicalReturn")]
public sealed record RecordMedicalReturn(Actor By, DateTimeOffset ReturnedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre holding the person records the return from treatment.")) is { } problem)
        {
            return problem;
        }

        if (c.Commitment!.OutForTreatmentSince is not { } since)
        {
            return Rejection.Conflict("not-out-for-treatment", "The person is not recorded as out for treatment.");
        }

        if (Checks.When(b, "returnedAt", ReturnedAt, since, "treatment") is { } when)
        {
            return when;
        }

        b.Add(new MedicalReturnRecorded(b.Now, By, ReturnedAt));
        return null;
    }
}

/// <summary>The person is back in the centre after treatment outside it.</summary>
[WireName("medicalReturnRecorded")]
public sealed record MedicalReturnRecorded(DateTimeOffset At, Actor By, DateTimeOffset ReturnedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Commitment = c.Commitment! with { OutForTreatmentSince = null } };
}
