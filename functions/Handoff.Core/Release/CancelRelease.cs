using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Cases;

/// <summary>The centre withdraws a release registered by mistake, before it happened: every open deadline and escalation ends.</summary>
[WireName("cancelRelease")]
public sealed record CancelRelease(Actor By, string? Reason) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                Checks.Party(By, c.CentreId, "Only the releasing centre cancels a release."),
                Checks.Reason("reason", Reason, required: false)) is { } problem)
        {
            return problem;
        }

        if (c.Commitment is not null)
        {
            return Rejection.Conflict("term-governs", "The release follows the term of the decision: it is not withdrawn; a change of the term is proposed to the deciding organ (戒毒条例 33).");
        }

        if (c.State == CaseState.Cancelled)
        {
            return null;
        }

        if (c.ReleasedAt is not null)
        {
            return Rejection.Conflict("already-released", "The person has already been released; a release cannot be withdrawn.");
        }

        b.Add(new ReleaseCancelled(b.Now, By, Text.TextRules.CleanNote(Reason)));
        foreach (var open in c.Deadlines.Where(d => d.Status == DeadlineStatus.Open))
        {
            b.SetDeadline(By, open with { Status = DeadlineStatus.Withdrawn });
        }

        CaseWorkflow.Resolve(b, By, "出所已撤销", Enum.GetValues<EscalationKind>());
        return null;
    }
}

/// <summary>The release was withdrawn; the office, police station and deciding organ are told.</summary>
[WireName("releaseCancelled")]
public sealed record ReleaseCancelled(DateTimeOffset At, Actor By, string? Reason) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { State = CaseState.Cancelled, CancelledAt = At };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        NoticeComposer.Informational(after, after.EventCount, At, NoticeKind.ReleaseCancelled, directory,
            "出所衔接撤销通报",
            $"{NoticeComposer.Name(directory, after.CentreId)}通报：{NoticeComposer.Person(after)}原定于{NoticeComposer.Date(after.ReleaseDate)}的出所已撤销"
            + (string.IsNullOrWhiteSpace(Reason) ? "。" : $"，原因：{Reason}。"));
}
