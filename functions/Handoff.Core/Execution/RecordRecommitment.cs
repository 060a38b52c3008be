using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Execution;

/// <summary>
/// A 公安机关 decides 强制隔离戒毒 for a person in community execution (禁毒法 38: a refusal, drug use, a serious violation): the community
/// period ends and the chain starts again in the same person's file (一人一档) — delivery, the 24-hour notices, the term.
/// </summary>
[WireName("recordRecommitment")]
public sealed record RecordRecommitment(Actor By, string DecisionNumber, DateOnly DecidedOn, DateTimeOffset ServedAt, string CentreId) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (b.Context.Directory.Find(By.OrganisationId) is not { Kind: OrganisationKind.DecisionAuthority })
        {
            return Rejection.Forbidden("Only a deciding 公安机关 records a 强制隔离戒毒 decision (戒毒条例 25).");
        }

        if (c.EndedCommunities.Count > 0 && c.Commitment is { } k && k.DecisionNumber == Text.TextRules.Clean(DecisionNumber) && k.DecidedOn == DecidedOn)
        {
            // The same decision again: already in effect.
            return null;
        }

        if (c.Community is not { EndReason: null })
        {
            return Rejection.Conflict("no-community-period", "No community period is under way: a new decision on this file follows a 社区戒毒 or 社区康复 period (禁毒法 38).");
        }

        if (new RecordDecision(By, c.CaseId, c.Person, DecisionNumber, DecidedOn, ServedAt, CentreId).Problems(b.Context) is [var first, ..])
        {
            return first;
        }

        CommunityRules.Close(b, By, "已决定强制隔离戒毒");
        var termEnds = Calendar.LegalCalendar.AddMonthsRestricted(DecidedOn, LegalPeriods.TermMonths);
        b.Add(new Recommitted(b.Now, By, Text.TextRules.Clean(DecisionNumber), DecidedOn, ServedAt, CentreId, termEnds));
        RecordDecision.PlanCommitment(b, By, ServedAt);
        b.Notify(N.Step(b.State, NoticeKind.Delivery, b.Now, [CentreId, c.OfficeId], "强制隔离戒毒人员送交通知",
            $"{N.Name(b.Context.Directory, By.OrganisationId)}通知：{N.Person(b.State)}在{(c.Community.Kind == CommunityKind.Detox ? "社区戒毒" : "社区康复")}期间"
            + $"{(c.Community.Grounds.Count > 0 ? string.Join("；", c.Community.Grounds.Select(ReportViolation.GroundText)) : "依法")}，"
            + $"已于{N.Date(DecidedOn)}被决定强制隔离戒毒（{DecisionNumber}，《禁毒法》第三十八条），将送{N.Name(b.Context.Directory, CentreId)}执行，"
            + $"期限至{N.Date(termEnds)}。应于{N.Date(b.State.DeadlineFor(DeadlineStep.Delivery)!.LastDay)} 24:00前送达。原执行地的{(c.Community.Kind == CommunityKind.Detox ? "社区戒毒" : "社区康复")}随之结束。",
            b.Context.Directory));
        return null;
    }
}

/// <summary>A new 强制隔离戒毒 decision in the same file: the community period ended, the chain starts again at the delivery.</summary>
[WireName("recommitted")]
public sealed record Recommitted(
    DateTimeOffset At, Actor By, string DecisionNumber, DateOnly DecidedOn, DateTimeOffset ServedAt, string CentreId, DateOnly TermEnds) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.Decided,
        CentreId = CentreId,
        DecisionAuthorityId = By.OrganisationId,
        OfficeId = null,
        PoliceStationId = null,
        ReleaseDate = TermEnds,
        OriginalReleaseDate = TermEnds,
        ReleaseType = ReleaseType.Expiry,
        RehabilitationYears = 0,
        AcknowledgedAt = null,
        ReleasedAt = null,
        CollectedBy = null,
        ReportedAt = null,
        AgreementSignedAt = null,
        FoundAt = null,
        // The earlier links' deadlines are in the history; the file's deadlines are the new chain's.
        Deadlines = [],
        Commitment = new Commitment(DecisionNumber, DecidedOn, ServedAt, TermEnds, TermEnds, null, [], null, null, 0, false, null, []),
        Community = null,
        EndedCommunities = [.. c.EndedCommunities, c.Community! with { EndedOn = Time.ChinaTime.LocalDate(At), EndReason = CommunityEnd.Recommitted, SuspendedAt = null, Move = null }],
    };
}
