using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Execution;

/// <summary>
/// A change of the place of execution (戒毒条例 22), sent by the office executing the period once the person reported the move: it sends
/// the file to the new office, which acknowledges it; the person reports there within 15 days of the change and signs a new agreement;
/// the period runs on without a break. The sending office answers for the person until the new one acknowledges; both are told if the
/// person does not arrive. "变更之日" is not defined (chain.md §5): we take the day the file is sent. The file itself is due within
/// <see cref="HandoffPolicy.PlaceChangeFileDays"/> of the person's report of the move (重庆 §36: 3 working days).
/// </summary>
/// <param name="RequestedOn">The day the person reported the move to the sending office.</param>
[WireName("sendPlaceChange")]
public sealed record SendPlaceChange(Actor By, string ToOfficeId, string? ToPoliceStationId, DateOnly RequestedOn, DateTimeOffset SentAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                Checks.Party(By, c.OfficeId, "Only the office executing the period sends the file of a change of place (戒毒条例 22)."),
                CommunityRules.Running(c)) is { } problem)
        {
            return problem;
        }

        var k = c.Community!;
        if (k.Move is { } move)
        {
            return move.ToOfficeId == ToOfficeId && move.SentAt == SentAt
                ? null
                : Rejection.Conflict("move-under-way", $"A change of place to {move.ToOfficeId} is under way: the new office must take the person first.");
        }

        var directory = b.Context.Directory;
        if (directory.Find(ToOfficeId) is not { Kind: OrganisationKind.CommunityOffice } || ToOfficeId == c.OfficeId)
        {
            return Rejection.Invalid("toOfficeId", "unknown-office", "must name another community-office in the directory");
        }

        if (ToPoliceStationId is not null && directory.Find(ToPoliceStationId) is not { Kind: OrganisationKind.PoliceStation })
        {
            return Rejection.Invalid("toPoliceStationId", "unknown-police-station", "must name a police-station in the directory");
        }

        if (Checks.First(
                Checks.InState(c, "agreement-not-signed", "The period's agreement is not signed yet: a change of place follows it (戒毒条例 22③).", CaseState.AgreementSigned),
                Checks.When(b, "sentAt", SentAt, c.AgreementSignedAt, "agreement")) is { } state)
        {
            return state;
        }

        if (RequestedOn > ChinaTime.LocalDate(SentAt))
        {
            return Rejection.Invalid("requestedOn", "after-sending", "must not be after the day the file is sent");
        }

        var sender = b.Context.PolicyOf(c.OfficeId);
        var receiver = b.Context.PolicyOf(ToOfficeId);
        var fileEnd = sender.PlaceChangeFileInWorkingDays
            ? b.Context.Calendar.AddWorkingDays(RequestedOn, sender.PlaceChangeFileDays)
            : b.Context.Calendar.AddDays(RequestedOn, sender.PlaceChangeFileDays);
        var file = DeadlinePlanner.Counted(DeadlineStep.MoveFile, fileEnd, provisional: false,
            $"戒毒条例第二十二条：将有关材料转送变更后的执行地（本地政策（{sender.Source}）：{sender.PlaceChangeFileDays}{(sender.PlaceChangeFileInWorkingDays ? "个工作日" : "日")}内）");
        var changedOn = ChinaTime.LocalDate(SentAt);
        var sent = new PlaceChangeSent(b.Now, By, new PlaceChange(c.OfficeId!, ToOfficeId, ToPoliceStationId, RequestedOn, SentAt, changedOn, null, null));
        b.Add(sent);
        b.SetDeadline(By, DeadlinePlanner.Complete(file, SentAt, b.Now));
        b.SetDeadline(By, DeadlinePlanner.Acknowledgement(SentAt, b.Context.Calendar, receiver) with { Step = DeadlineStep.MoveAcknowledgement });
        b.SetDeadline(By, CommunityRules.Report(DeadlineStep.MoveReport, changedOn, b.Context.Calendar, receiver, "戒毒条例第二十二条：自执行地变更之日起"));
        b.Notify(sent.Letter(b.State, b.Context.Directory));
        if (b.State.DeadlineFor(DeadlineStep.MoveFile) is { Status: DeadlineStatus.Missed })
        {
            // Sent after its period: it can never be remedied, so the sender and the supervisors above it are told at once.
            CaseWorkflow.OpenAsNotice(b, EscalationKind.FileLate);
        }

        return null;
    }

    /// <summary>The report at the new office (the report command's rule when the new office records it): it takes the person over.</summary>
    internal static Rejection? Report(DecisionBuilder b, Actor by, PlaceChange move, DateTimeOffset reportedAt)
    {
        if (CommunityRules.Running(b.State) is { } ended)
        {
            return ended;
        }

        if (move.ReportedAt is { } done)
        {
            return done == reportedAt ? null : Rejection.Conflict("already-reported", $"The report at the new office was already recorded at {done:O}.");
        }

        if (Checks.First(CommunityRules.NotSuspended(b.State), Checks.When(b, "reportedAt", reportedAt, move.SentAt, "change-of-place")) is { } problem)
        {
            return problem;
        }

        var c = b.State;
        b.Add(new PlaceChangeReported(b.Now, by, reportedAt));
        b.SetDeadline(by, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.MoveReport)!, reportedAt, b.Now));
        if (c.DeadlineFor(DeadlineStep.MoveAcknowledgement) is { CompletedAt: null } ack)
        {
            // Taking the person is taking the file.
            b.SetDeadline(by, DeadlinePlanner.Complete(ack, b.Now, b.Now));
        }

        b.SetDeadline(by, DeadlinePlanner.Agreement(ChinaTime.LocalDate(reportedAt), provisional: false, b.Context.Calendar, b.Context.PolicyOf(move.ToOfficeId))
            with { Step = DeadlineStep.MoveAgreement });
        CommunityRules.Contacted(b, by, reportedAt);
        CaseWorkflow.Resolve(b, by, "人员已到变更后的执行地报到", EscalationKind.NotReported, EscalationKind.MoveNotAcknowledged, EscalationKind.FileLate);
        return null;
    }

    /// <summary>The new agreement at the new office (the agreement command's rule there): the change is complete (戒毒条例 22③).</summary>
    internal static Rejection? Agreement(DecisionBuilder b, Actor by, PlaceChange move, DateTimeOffset signedAt)
    {
        if (move.ReportedAt is not { } reported)
        {
            return Rejection.Conflict("not-reported", "The new agreement follows the report at the new office (戒毒条例 22); no report is recorded there.");
        }

        if (Checks.When(b, "signedAt", signedAt, reported, "report") is { } when)
        {
            return when;
        }

        b.Add(new PlaceChangeCompleted(b.Now, by, signedAt));
        b.SetDeadline(by, DeadlinePlanner.Complete(b.State.DeadlineFor(DeadlineStep.MoveAgreement)!, signedAt, b.Now));
        CaseWorkflow.Resolve(b, by, "已与变更后的执行地签订新的协议", EscalationKind.NoAgreement);
        return null;
    }
}

/// <summary>The receiving office acknowledges the file of a change of place: from now on it answers for the person.</summary>
[WireName("acknowledgePlaceChange")]
public sealed record AcknowledgePlaceChange(Actor By) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (c.Community?.Move is not { } move)
        {
            return Rejection.Conflict("no-move", "No change of place is under way.");
        }

        if (Checks.First(Checks.Party(By, move.ToOfficeId, "Only the office the person moves to acknowledges the file."), CommunityRules.Running(c)) is { } party)
        {
            return party;
        }

        if (move.AcknowledgedAt is not null)
        {
            return null;
        }

        b.Add(new PlaceChangeAcknowledged(b.Now, By));
        b.SetDeadline(By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.MoveAcknowledgement)!, b.Now, b.Now));
        CaseWorkflow.Resolve(b, By, "变更后的执行地已签收材料", EscalationKind.MoveNotAcknowledged, EscalationKind.FileLate);
        return null;
    }
}

/// <summary>The sending office sent the file of a change of place.</summary>
[WireName("placeChangeSent")]
public sealed record PlaceChangeSent(DateTimeOffset At, Actor By, PlaceChange Move) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Community = c.Community! with { Move = Move } };

    /// <summary>The new office's and the police's notice, composed once the report deadline it gives is set.</summary>
    internal IReadOnlyList<Notice> Letter(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.PlaceChange, At, [Move.ToOfficeId, Move.ToPoliceStationId, after.PoliceStationId, after.DecisionAuthorityId], "变更执行地通知",
            $"{N.Name(directory, Move.FromOfficeId)}通报：{N.Person(after)}的{CommunityRules.KindName(after)}执行地变更为{N.Name(directory, Move.ToOfficeId)}"
            + $"（本人于{N.Date(Move.RequestedOn)}报告，材料于{N.Instant(Move.SentAt)}转送，《戒毒条例》第二十二条）。"
            + $"本人应于{N.Date(after.DeadlineFor(DeadlineStep.MoveReport)!.LastDay)} 24:00前到新执行地报到，期限连续计算。"
            + $"新执行地签收材料前，仍由{N.Name(directory, Move.FromOfficeId)}负责。请{N.Name(directory, Move.ToOfficeId)}签收，报到后签订新的协议。", directory);
}

/// <summary>The new office acknowledged the file; the person is its charge from now.</summary>
[WireName("placeChangeAcknowledged")]
public sealed record PlaceChangeAcknowledged(DateTimeOffset At, Actor By) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => TakeOver(c, c.Community!.Move! with { AcknowledgedAt = At });

    /// <summary>The new office and its 派出所 become the file's.</summary>
    internal static Case TakeOver(Case c, PlaceChange move) => c with
    {
        OfficeId = move.ToOfficeId,
        PoliceStationId = move.ToPoliceStationId ?? c.PoliceStationId,
        Community = c.Community! with
        {
            Move = move,
            Offices = c.Community.Offices.Contains(move.ToOfficeId) ? c.Community.Offices : [.. c.Community.Offices, move.ToOfficeId],
        },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [after.Community!.Move!.FromOfficeId], "变更执行地材料已签收",
            $"{N.Name(directory, By.OrganisationId)}已于{N.Instant(At)}签收{N.Person(after)}的变更执行地材料，自即日起由其负责。", directory);
}

/// <summary>The person reported at the new office.</summary>
[WireName("placeChangeReported")]
public sealed record PlaceChangeReported(DateTimeOffset At, Actor By, DateTimeOffset ReportedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) =>
        PlaceChangeAcknowledged.TakeOver(c, c.Community!.Move! with { AcknowledgedAt = c.Community.Move.AcknowledgedAt ?? At, ReportedAt = ReportedAt });

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.StepRecorded, At, [after.Community!.Move!.FromOfficeId, after.PoliceStationId], "已到新执行地报到",
            $"{N.Person(after)}已于{N.Instant(ReportedAt)}到{N.Name(directory, By.OrganisationId)}报到（《戒毒条例》第二十二条），期限连续计算。", directory);
}

/// <summary>The new agreement is signed: the change of place is complete.</summary>
[WireName("placeChangeCompleted")]
public sealed record PlaceChangeCompleted(DateTimeOffset At, Actor By, DateTimeOffset SignedAt) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { AgreementSignedAt = SignedAt, Community = c.Community! with { Move = null } };
}
