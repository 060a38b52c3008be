using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The public-security centre sends the person to a justice one (戒毒条例 27②): not before 3 months after intake, and by the end of the
/// window. The sending centre stays responsible until the receiving one records the reception (or refuses), within a policy period.
/// </summary>
[WireName("recordTransfer")]
public sealed record RecordTransfer(Actor By, string ToCentreId, DateTimeOffset TransferredAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                ChainRules.FromDecision(c),
                Checks.Party(By, c.CentreId, "Only the centre holding the person transfers them."),
                ChainRules.NotAway(c)) is { } problem)
        {
            return problem;
        }

        if (c.Commitment!.Transfer is { } pending)
        {
            return pending.ToCentreId == ToCentreId && pending.SentAt == TransferredAt
                ? null
                : Rejection.Conflict("transfer-pending", $"A transfer to {pending.ToCentreId} is waiting for its reception.");
        }

        var transfer = c.DeadlineFor(DeadlineStep.Transfer);
        if (b.Context.Directory.Find(c.CentreId) is not { IsPublicSecurityCentre: true } || transfer is null)
        {
            return Rejection.Conflict("not-public-security-centre", "Only a public-security centre transfers people to a justice one (戒毒条例 27②).");
        }

        if (b.Context.Directory.Find(ToCentreId) is not { Kind: OrganisationKind.Centre, IsPublicSecurityCentre: false })
        {
            return Rejection.Invalid("toCentreId", "not-justice-centre", "must name a justice-administration centre in the directory (戒毒条例 27②)");
        }

        if (Checks.First(
                Checks.InState(c, "not-in-centre", "Only a person held in the centre is transferred.", CaseState.InCentre),
                Checks.When(b, "transferredAt", TransferredAt, c.Commitment.IntakeAt, "intake")) is { } state)
        {
            return state;
        }

        if (transfer.OpensOn is { } opens && ChinaTime.LocalDate(TransferredAt) < opens)
        {
            return Rejection.Invalid("transferredAt", "transfer-window-not-open",
                $"must be at least 3 months after the intake, on or after {opens:yyyy-MM-dd} (戒毒条例 27②: 3个月至6个月后)");
        }

        var sent = new TransferSent(b.Now, By, c.CentreId!, ToCentreId, TransferredAt);
        b.Add(sent);
        var number = b.State.EventCount;
        b.SetDeadline(By, DeadlinePlanner.Complete(transfer, TransferredAt, b.Now));
        b.SetDeadline(By, DeadlinePlanner.Reception(TransferredAt, b.Context.PolicyOf(ToCentreId)));
        b.Notify(sent.Letter(b.State, number, b.Context.Directory));
        CaseWorkflow.Resolve(b, By, "已移送司法行政部门强制隔离戒毒所", EscalationKind.NotTransferred, EscalationKind.ReceptionRefused);
        return null;
    }
}

/// <summary>The person was sent to a justice centre; the sending centre answers for them until it receives them.</summary>
[WireName("transferSent")]
public sealed record TransferSent(DateTimeOffset At, Actor By, string FromCentreId, string ToCentreId, DateTimeOffset SentAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        State = CaseState.Transferring,
        Commitment = c.Commitment! with { Transfer = new PendingTransfer(FromCentreId, ToCentreId, SentAt) },
    };

    /// <summary>The receiving centre's notice, composed once the reception deadline it gives is set.</summary>
    internal IReadOnlyList<Notice> Letter(Case after, int eventNumber, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.Transfer, At, [ToCentreId], "强制隔离戒毒人员移送通知",
            $"{N.Name(directory, FromCentreId)}通知：{N.Person(after)}（决定书{after.Commitment!.DecisionNumber}，期限至{N.Date(after.ReleaseDate)}）"
            + $"已于{N.Instant(SentAt)}移送贵所（《戒毒条例》第二十七条）。请核对身份、检查身体、清点材料后在系统中登记接收，或说明拒收理由；"
            + $"应于{N.Date(after.DeadlineFor(DeadlineStep.Reception)!.LastDay)} 24:00前办理。接收前由移送单位负责。", directory, eventNumber);
}
