using Handoff.Core.Notices;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;

namespace Handoff.Core.Cases;

/// <summary>
/// The centre records the release and who collected the person (出所必接: nobody at the gate is escalated at once). The report period
/// of 戒毒条例 38 counts from the actual release.
/// </summary>
[WireName("recordRelease")]
public sealed record RecordRelease(Actor By, DateTimeOffset ReleasedAt, CollectedBy CollectedBy) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (By.OrganisationId != c.CentreId)
        {
            return Rejection.Forbidden("Only the releasing centre records the release.");
        }

        if (CollectedBy.Name is not null && !string.IsNullOrWhiteSpace(CollectedBy.Name) && Text.TextRules.Name(CollectedBy.Name) is { } nameRule)
        {
            return Rejection.Invalid("collectedBy.name", "invalid-name", nameRule);
        }

        // The collector's name as stored: cleaned, and none when blank.
        var collectedBy = CollectedBy with { Name = string.IsNullOrWhiteSpace(CollectedBy.Name) ? null : Text.TextRules.Clean(CollectedBy.Name) };
        if (c.ReleasedAt is not null)
        {
            return c.ReleasedAt == ReleasedAt && c.CollectedBy == collectedBy
                ? null
                : Rejection.Conflict("already-released", $"The release was already recorded at {c.ReleasedAt:O}.");
        }

        if (c.State == CaseState.Cancelled)
        {
            return Rejection.Conflict("case-cancelled", "The release was cancelled.");
        }

        if (c.OfficeId is null)
        {
            // A file that began with the decision: the office and police station come from the release notice (戒毒条例 34).
            return Rejection.Conflict("release-notice-not-sent", "Send the release notice first (戒毒条例 34): it names the office and the police station.");
        }

        if (Chain.ChainRules.NotAway(c) is { } away)
        {
            return away;
        }

        if (Checks.When(b, "releasedAt", ReleasedAt) is { } future)
        {
            return future;
        }

        if (ChinaTime.LocalDate(ReleasedAt) < ChinaTime.LocalDate(c.RegisteredAt))
        {
            return Rejection.Invalid("releasedAt", "before-registration", "must not be before the day the release was registered");
        }

        if (collectedBy.Kind != CollectorKind.None && collectedBy.Name is null)
        {
            return Rejection.Invalid("collectedBy.name", "collector-name-required", "must name who collected the person unless kind is none");
        }

        var released = new ReleaseRecorded(b.Now, By, ReleasedAt, collectedBy);
        b.Add(released);
        var releaseEvent = b.State.EventCount;
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Release)!, b.Now, b.Now));
        if (c.RehabilitationYears > 0)
        {
            // 戒毒条例 38: the order is served on release, so the 15 days run from the actual release date.
            var report = DeadlinePlanner.Report(ChinaTime.LocalDate(ReleasedAt), provisional: false, b.Context.Calendar);
            b.SetDeadline(By, report);
            b.SetDeadline(By, DeadlinePlanner.Agreement(report.LastDay, provisional: true, b.Context.Calendar, b.Context.PolicyOf(c.OfficeId)));
        }

        // The letter gives the report deadline just set, not the one counted from the planned date.
        b.Notify(NoticeComposer.ReleaseRecordedNotices(released, b.State, releaseEvent, b.Context.Directory));

        CaseWorkflow.Resolve(b, By, "出所情况已登记", EscalationKind.ReleaseNotRecorded);
        Chain.ChainRules.OnRelease(b, By);
        // The person has left: the notice's acknowledgement can no longer come before the release, so its escalation ends saying why (the
        // missed deadline stays on the record), as does a late notice's.
        if (c.DeadlineFor(DeadlineStep.Acknowledgement) is { Status: DeadlineStatus.Open } acknowledgement)
        {
            // Released before the office acknowledged, its deadline not yet passed: the step is no longer needed, and must not open an
            // escalation after the release that nobody could resolve.
            b.SetDeadline(By, acknowledgement with { Status = DeadlineStatus.Withdrawn });
        }

        CaseWorkflow.Resolve(b, By, "人员已出所，签收出所通报的环节已过，不再需要办理（签收逾期仍记录在案）", EscalationKind.NotAcknowledged);
        CaseWorkflow.Resolve(b, By, "人员已出所", EscalationKind.LateNotice);
        if (collectedBy.Kind == CollectorKind.None)
        {
            // 出所必接 (戒毒条例 34: 通知……将其领回): nobody at the gate is escalated at once.
            CaseWorkflow.Open(b, EscalationKind.NotCollected, b.Now);
        }

        return null;
    }
}

/// <summary>The person left the centre; its notices are composed by the release's rule once the report deadline is set.</summary>
[WireName("releaseRecorded")]
public sealed record ReleaseRecorded(DateTimeOffset At, Actor By, DateTimeOffset ReleasedAt, CollectedBy CollectedBy) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        ReleasedAt = ReleasedAt,
        CollectedBy = CollectedBy,
        State = c.RehabilitationYears > 0 ? CaseState.Released : CaseState.Completed,
    };
}
