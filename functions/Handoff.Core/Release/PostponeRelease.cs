using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Cases;

/// <summary>
/// The centre moves a registered release later, at most one year past the first date (禁毒法 47③: an extension of at most a year). A
/// file that began with the decision follows its term instead: its date moves by a decided term change.
/// </summary>
[WireName("postponeRelease")]
public sealed record PostponeRelease(Actor By, DateOnly NewReleaseDate, string? Reason) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                Checks.Party(By, c.CentreId, "Only the releasing centre postpones a release."),
                Checks.Reason("reason", Reason, required: false)) is { } problem)
        {
            return problem;
        }

        if (c.Commitment is not null)
        {
            return Rejection.Conflict("term-governs", "The release date follows the term: propose an extension to the deciding organ (禁毒法 47, 戒毒条例 33).");
        }

        if (c.ReleasedAt is not null || c.State == CaseState.Cancelled)
        {
            return Rejection.Conflict("not-scheduled", "Only a scheduled release can be postponed.");
        }

        if (NewReleaseDate == c.ReleaseDate)
        {
            return null;
        }

        if (NewReleaseDate < c.ReleaseDate)
        {
            return Rejection.Invalid("newReleaseDate", "not-later", "must be later than the current release date; an earlier release is registered anew");
        }

        if (NewReleaseDate > c.OriginalReleaseDate.AddYears(LegalPeriods.MaxExtensionYears))
        {
            return Rejection.Invalid("newReleaseDate", "extension-too-long",
                "must be at most one year after the first release date (禁毒法 47: 最长可以延长一年)");
        }

        b.Add(new ReleasePostponed(b.Now, By, NewReleaseDate, Text.TextRules.CleanNote(Reason)));
        CaseWorkflow.Resolve(b, By, "出所日期已变更", EscalationKind.ReleaseNotRecorded);

        // A new notice restarts the office's acknowledgement only if it had not acknowledged (or missed) the first one.
        var acknowledgement = c.DeadlineFor(DeadlineStep.Acknowledgement);
        CaseWorkflow.PlanAfterNotice(b, By, acknowledgementDue: acknowledgement is { Status: DeadlineStatus.Open });
        return null;
    }
}

/// <summary>The release date moved; the office, police station and deciding organ are told.</summary>
[WireName("releasePostponed")]
public sealed record ReleasePostponed(DateTimeOffset At, Actor By, DateOnly NewReleaseDate, string? Reason) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { ReleaseDate = NewReleaseDate };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        NoticeComposer.Informational(after, after.EventCount, At, NoticeKind.ReleasePostponed, directory,
            "出所日期变更通报",
            $"{NoticeComposer.Name(directory, after.CentreId)}通报：{NoticeComposer.Person(after)}的解除强制隔离戒毒日期变更为{NoticeComposer.Date(NewReleaseDate)}"
            + (string.IsNullOrWhiteSpace(Reason) ? "。" : $"，原因：{Reason}。") + "各相关期限已相应调整。");
}
