using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;

namespace Handoff.Core.Cases;

/// <summary>The office records that the person reported (戒毒条例 38); the agreement is then due (戒毒条例 16).</summary>
[WireName("recordReport")]
public sealed record RecordReport(Actor By, DateTimeOffset ReportedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (c.Community?.Move is { } move && By.OrganisationId == move.ToOfficeId)
        {
            // 戒毒条例 22②: the report at the office the person moved to.
            return Execution.SendPlaceChange.Report(b, By, move, ReportedAt);
        }

        if (By.OrganisationId != c.OfficeId)
        {
            return Rejection.Forbidden("Only the receiving office records the report.");
        }

        if (c.ReportedAt is not null)
        {
            return c.ReportedAt == ReportedAt
                ? null
                : Rejection.Conflict("already-reported", $"The report was already recorded at {c.ReportedAt:O}.");
        }

        if (c.RehabilitationYears == 0)
        {
            return Rejection.Conflict("no-rehabilitation-ordered", "No community rehabilitation was ordered for this release.");
        }

        if (c.State is CaseState.Scheduled or CaseState.Acknowledged)
        {
            return Rejection.Conflict("release-not-recorded", "The centre has not recorded the release yet.");
        }

        if (c.State == CaseState.Cancelled)
        {
            return Rejection.Conflict("case-cancelled", "The release was cancelled.");
        }

        if (Checks.First(
                Execution.CommunityRules.NotSuspended(c),
                c.Community?.OrderServedAt is { } served
                    ? Checks.When(b, "reportedAt", ReportedAt, served, "order")
                    : Checks.When(b, "reportedAt", ReportedAt, c.ReleasedAt, "release")) is { } when)
        {
            return when;
        }

        b.Add(new ReportRecorded(b.Now, By, ReportedAt));
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Report)!, ReportedAt, b.Now));
        b.SetDeadline(By, DeadlinePlanner.Agreement(ChinaTime.LocalDate(ReportedAt), provisional: false, b.Context.Calendar, b.Context.PolicyOf(c.OfficeId)));
        CaseWorkflow.Resolve(b, By, "人员已到执行地报到", EscalationKind.NotReported, EscalationKind.NotCollected);
        if (c.Community is { Kind: CommunityKind.Detox } && b.State.DeadlineFor(DeadlineStep.Acknowledgement) is { CompletedAt: null, Status: not DeadlineStatus.Withdrawn } ack)
        {
            // The person reported before the office acknowledged the order: taking the person is taking the notice.
            b.SetDeadline(By, DeadlinePlanner.Complete(ack, b.Now, b.Now));
            CaseWorkflow.Resolve(b, By, "人员已到执行地报到", EscalationKind.NotAcknowledged);
        }

        // The period counts from the report: 戒毒条例 14② for 社区戒毒; for 社区康复 the 条例 gives no start, and we take the report too.
        var kind = c.Community?.Kind ?? CommunityKind.Rehabilitation;
        var years = c.Community?.Kind == CommunityKind.Detox ? LegalPeriods.CommunityDetoxYears : c.RehabilitationYears;
        var startedOn = ChinaTime.LocalDate(ReportedAt);
        if (c.Community is { Kind: CommunityKind.Detox } && c.DeadlineFor(DeadlineStep.Report) is { } due && ReportedAt < due.DueAt)
        {
            Execution.CommunityRules.RefusalDisproved(b, By);
        }

        // A term served before a change to 社区戒毒 is credited against it (戒毒条例 31②).
        b.Add(new CommunityStarted(b.Now, By, kind, years, startedOn, Execution.CommunityRules.EndsOn(startedOn, years, -(c.Community?.DaysCredited ?? 0))));
        Execution.CommunityRules.PlanEnd(b, By);
        Execution.CommunityRules.Contacted(b, By, ReportedAt);
        return null;
    }
}

/// <summary>The person reported to the office.</summary>
[WireName("reportRecorded")]
public sealed record ReportRecorded(DateTimeOffset At, Actor By, DateTimeOffset ReportedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { ReportedAt = ReportedAt, State = CaseState.Reported };
}

/// <summary>The community period began with the report (戒毒条例 14②; for 社区康复 our reading): it runs to <paramref name="EndsOn"/>.</summary>
[WireName("communityStarted")]
public sealed record CommunityStarted(DateTimeOffset At, Actor By, CommunityKind Kind, int Years, DateOnly StartedOn, DateOnly EndsOn) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        // Days suspended before the report moved its deadline, not the period's end: the period's own count starts here.
        Community = (c.Community is { EndReason: null } k ? k : Community.Begin(Kind, null, null, Years, c.OfficeId!)) with { StartedOn = StartedOn, EndsOn = EndsOn, DaysSuspended = 0 },
    };
}
