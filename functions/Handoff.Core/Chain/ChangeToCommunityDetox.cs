using Handoff.Core.Cases;
using Handoff.Core.Execution;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The deciding organ approves the centre's proposal to change 强制隔离戒毒 into 社区戒毒 for a person out for treatment who cannot return
/// (戒毒条例 31②, within 7 days of the proposal). The file goes on as a 社区戒毒 order: the office of the execution place and its 派出所 are
/// told, the person reports within 15 days of service (戒毒条例 14), and the term served is credited against the three years.
/// </summary>
/// <param name="OrderNumber">The 决定书's number (变更为社区戒毒决定书).</param>
[WireName("changeToCommunityDetox")]
public sealed record ChangeToCommunityDetox(Actor By, string OrderNumber, DateTimeOffset ServedAt, string OfficeId, string PoliceStationId) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.DecisionAuthorityId, "Only the deciding organ decides a change to 社区戒毒 (戒毒条例 31②).")) is { } problem)
        {
            return problem;
        }

        var k = c.Commitment!;
        if (c.Community is { OrderNumber: { } number } && k.LastDecision is { Kind: TermChangeKind.ToCommunity, Approved: true })
        {
            return number == Text.TextRules.Clean(OrderNumber) ? null : Rejection.Conflict("already-changed", "The change to 社区戒毒 was already recorded.");
        }

        if (k.Proposal is not { Kind: TermChangeKind.ToCommunity } proposal)
        {
            return Rejection.Conflict("no-proposal", "No proposal to change to 社区戒毒 is waiting (戒毒条例 31②: the centre proposes it).");
        }

        if (Checks.First(
                DecisionChecks.Number("orderNumber", OrderNumber),
                DecisionChecks.ExecutionPlace(b.Context.Directory, OfficeId, PoliceStationId, c.Person).FirstOrDefault(),
                Checks.When(b, "servedAt", ServedAt, proposal.ProposedAt, "proposal")) is { } invalid)
        {
            return invalid;
        }

        // 已执行的强制隔离戒毒期限折抵社区戒毒期限: the days from the decision to the service of this one, less days away after an escape.
        var served = Math.Max(0, ChinaTime.LocalDate(ServedAt).DayNumber - k.DecidedOn.DayNumber - k.DaysAway);
        var changed = new ChangedToCommunityDetox(b.Now, By, Text.TextRules.Clean(OrderNumber), ServedAt, OfficeId, PoliceStationId, served);
        b.Add(changed);
        foreach (var d in b.State.Deadlines.Where(d => d.Status == DeadlineStatus.Open && d.Step != DeadlineStep.TermDecision).ToList())
        {
            b.SetDeadline(By, d with { Status = DeadlineStatus.Withdrawn });
        }

        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.TermDecision)!, ServedAt, b.Now));
        CaseWorkflow.Resolve(b, By, "已决定变更为社区戒毒", EscalationKind.TermDecisionLate, EscalationKind.NoticeNotSent, EscalationKind.ReleaseNotRecorded,
            EscalationKind.NotTransferred, EscalationKind.NotReceived, EscalationKind.FamilyNotTold, EscalationKind.NotNotified);
        var officePolicy = b.Context.PolicyOf(OfficeId);
        b.SetDeadline(By, DeadlinePlanner.Acknowledgement(b.Now, b.Context.Calendar, officePolicy));
        b.SetDeadline(By, CommunityRules.Report(DeadlineStep.Report, ChinaTime.LocalDate(ServedAt), b.Context.Calendar, officePolicy,
            "戒毒条例第十四条：收到责令社区戒毒决定书之日起"));
        b.Notify(changed.Letter(b.State, b.Context.Directory));
        return null;
    }
}

/// <summary>强制隔离戒毒 changed into 社区戒毒 (戒毒条例 31②): the file goes on as an order; <paramref name="DaysCredited"/> of the term served
/// count against its three years.</summary>
[WireName("changedToCommunityDetox")]
public sealed record ChangedToCommunityDetox(
    DateTimeOffset At, Actor By, string OrderNumber, DateTimeOffset ServedAt, string OfficeId, string PoliceStationId, int DaysCredited) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.Ordered,
        OfficeId = OfficeId,
        PoliceStationId = PoliceStationId,
        RehabilitationYears = LegalPeriods.CommunityDetoxYears,
        AcknowledgedAt = null,
        Commitment = c.Commitment! with
        {
            Proposal = null,
            OutForTreatmentSince = null,
            LastDecision = new TermDecision(TermChangeKind.ToCommunity, true, ServedAt),
        },
        Community = Community.Begin(CommunityKind.Detox, OrderNumber, ServedAt, LegalPeriods.CommunityDetoxYears, OfficeId) with { DaysCredited = DaysCredited },
    };

    /// <summary>The notices to the office, the 派出所 and the centre, composed once the report deadline they give is set.</summary>
    internal IReadOnlyList<Notice> Letter(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.CommunityOrder, At, [OfficeId, PoliceStationId, after.CentreId], "变更为社区戒毒通知",
            $"{N.Name(directory, By.OrganisationId)}通知：经{N.Name(directory, after.CentreId)}建议，{N.Person(after)}所外就医、健康状况不再适宜回所执行，"
            + $"已决定变更为社区戒毒（{OrderNumber}，《戒毒条例》第三十一条），决定书于{N.Instant(ServedAt)}送达，执行地为{N.Name(directory, OfficeId)}。"
            + $"已执行的强制隔离戒毒期限{DaysCredited}日折抵社区戒毒期限。本人应于{N.Date(after.DeadlineFor(DeadlineStep.Report)!.LastDay)} 24:00前报到（《戒毒条例》第十四条）。"
            + "请执行地签收本通知，报到后及时签订社区戒毒协议。", directory);
}
