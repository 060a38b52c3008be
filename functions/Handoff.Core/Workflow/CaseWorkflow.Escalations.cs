using Handoff.Core.Cases;
using Handoff.Core.Organisations;

namespace Handoff.Core.Workflow;

public static partial class CaseWorkflow
{
    /// <summary>
    /// Acts on everything due at <c>now</c>: firm open deadlines whose instant has passed become missed and open their escalation;
    /// open escalations climb one level per interval elapsed. Safe to run at any time, any number of times.
    /// </summary>
    internal static void ActOnWhatIsDue(DecisionBuilder b)
    {
        // One due deadline at a time, the earliest first, until none is left: a day reached (the period's end) may withdraw later ones, or set
        // one already past (a wake-up long after the expiry sets a 解除 notice deadline that has passed too).
        while (b.State.Deadlines.Where(d => d.Status == DeadlineStatus.Open && !d.Provisional && d.DueAt <= b.Now).MinBy(d => d.DueAt) is { } deadline)
        {
            if (Execution.CommunityRules.IsMilestone(deadline.Step))
            {
                // A day reached (the period's end, the 31st day away), not a duty missed.
                Execution.CommunityRules.Reached(b, deadline);
                continue;
            }

            b.Add(new DeadlineMissed(b.Now, Actor.System, deadline.Step));
            if (deadline.Step == DeadlineStep.Report && b.State.Community is { Kind: CommunityKind.Detox, StartedOn: null })
            {
                // 戒毒条例 14①: no report within the period "视为拒绝接受社区戒毒", a ground for 强制隔离戒毒 (禁毒法 38(一)) the office reports (条例 21).
                Execution.CommunityRules.Violation(b, Actor.System, ViolationGround.Refusal);
            }

            var kind = EscalationFor(deadline.Step);
            if (kind is not null && !HasOpen(b.State, kind.Value))
            {
                // Climbs are anchored on the due instant, so a late wake-up catches up rather than shifting the ladder.
                Open(b, kind.Value, deadline.DueAt);
            }
        }

        foreach (var escalation in b.State.Escalations.Where(e => e.Status == EscalationStatus.Open).ToList())
        {
            var level = escalation.Level;
            var climbAt = escalation.NextClimbAt;
            var ladder = Ladder(b.State, escalation.Kind, b.Context.Directory);
            while (climbAt is not null && climbAt <= b.Now && level - 1 < ladder.Count)
            {
                var recipients = ladder[level - 1].Select(o => o.Id).ToList();
                level++;
                climbAt = level - 1 < ladder.Count ? climbAt + b.Context.Policy.EscalationInterval : null;
                b.Add(new EscalationClimbed(b.Now, Actor.System, escalation.Id, level, recipients, climbAt));
            }

            if (climbAt is not null && climbAt <= b.Now)
            {
                // Due to climb, but no rung is left (supervisors were removed from the directory): stop, or it would be due forever.
                b.Add(new EscalationLadderEnded(b.Now, Actor.System, escalation.Id));
            }
        }
    }

    /// <summary>Opens an escalation at level 1, to the responsible organisation(s).</summary>
    internal static void Open(DecisionBuilder b, EscalationKind kind, DateTimeOffset anchor)
    {
        var c = b.State;
        var id = $"{c.CaseId}-E{c.Escalations.Count + 1}";
        var ladder = Ladder(c, kind, b.Context.Directory);
        var next = ladder.Count > 0 ? anchor + b.Context.Policy.EscalationInterval : (DateTimeOffset?)null;
        b.Add(new EscalationOpened(b.Now, Actor.System, id, kind, Responsible(c, kind), next));
    }

    /// <summary>
    /// Opens an escalation that cannot be remedied as a notice: level 1 to the responsible organisation and, at once, level 2 to the
    /// supervisors above it; it never climbs further.
    /// </summary>
    internal static void OpenAsNotice(DecisionBuilder b, EscalationKind kind)
    {
        var c = b.State;
        var id = $"{c.CaseId}-E{c.Escalations.Count + 1}";
        b.Add(new EscalationOpened(b.Now, Actor.System, id, kind, Responsible(c, kind), null));
        if (Ladder(b.State, kind, b.Context.Directory) is [var first, ..])
        {
            b.Add(new EscalationClimbed(b.Now, Actor.System, id, 2, first.Select(o => o.Id).ToList(), null));
        }
    }

    internal static void Resolve(DecisionBuilder b, Actor by, string resolution, params EscalationKind[] kinds)
    {
        foreach (var escalation in b.State.Escalations.Where(e => e.Status == EscalationStatus.Open && kinds.Contains(e.Kind)).ToList())
        {
            b.Add(new EscalationResolved(b.Now, by, escalation.Id, resolution));
        }
    }

    internal static bool HasOpen(Case c, EscalationKind kind) =>
        c.Escalations.Any(e => e.Kind == kind && e.Status == EscalationStatus.Open);

    /// <summary>The escalation a missed deadline of <paramref name="step"/> opens.</summary>
    public static EscalationKind? EscalationFor(DeadlineStep step) => step switch
    {
        DeadlineStep.Delivery => EscalationKind.NotDelivered,
        DeadlineStep.DecisionNotices or DeadlineStep.TermNotices => EscalationKind.NotNotified,
        DeadlineStep.Transfer => EscalationKind.NotTransferred,
        DeadlineStep.Reception => EscalationKind.NotReceived,
        DeadlineStep.ReceptionNotice => EscalationKind.FamilyNotTold,
        DeadlineStep.TermDecision => EscalationKind.TermDecisionLate,
        DeadlineStep.Notice => EscalationKind.NoticeNotSent,
        DeadlineStep.Acknowledgement => EscalationKind.NotAcknowledged,
        DeadlineStep.Release => EscalationKind.ReleaseNotRecorded,
        DeadlineStep.Report => EscalationKind.NotReported,
        DeadlineStep.Agreement or DeadlineStep.MoveAgreement => EscalationKind.NoAgreement,
        DeadlineStep.Contact => EscalationKind.NoContact,
        DeadlineStep.ViolationReport => EscalationKind.ViolationNotReported,
        DeadlineStep.MoveFile => EscalationKind.FileLate,
        DeadlineStep.MoveAcknowledgement => EscalationKind.MoveNotAcknowledged,
        DeadlineStep.MoveReport => EscalationKind.NotReported,
        DeadlineStep.EndNotice => EscalationKind.EndNoticeLate,
        DeadlineStep.EndMaterials => EscalationKind.EndMaterialsLate,
        _ => null,
    };

    /// <summary>
    /// The organisation that must act on an escalation of <paramref name="kind"/>, whose supervisors it climbs to: the deciding organ for
    /// the delivery, its notices and term decisions; the centre holding the person for its transfer, notices and release; the receiving
    /// centre for a reception; otherwise the receiving office.
    /// </summary>
    public static string? Owner(Case c, EscalationKind kind) => kind switch
    {
        EscalationKind.NotDelivered or EscalationKind.IntakeRefused or EscalationKind.NotNotified or EscalationKind.TermDecisionLate
            or EscalationKind.EndNoticeLate => c.DecisionAuthorityId,
        EscalationKind.MoveNotAcknowledged => c.Community?.Move?.ToOfficeId ?? c.OfficeId,
        EscalationKind.FileLate => c.Community?.Move?.FromOfficeId ?? c.OfficeId,
        EscalationKind.LateNotice or EscalationKind.ReleaseNotRecorded or EscalationKind.NotTransferred or EscalationKind.ReceptionRefused
            or EscalationKind.FamilyNotTold or EscalationKind.NoticeNotSent => c.CentreId,
        EscalationKind.NotReceived => c.Commitment?.Transfer?.ToCentreId ?? c.CentreId,
        _ => c.OfficeId,
    };

    /// <summary>
    /// Level 1: the organisation that must act. For a person not collected or not reported, also the police station and the
    /// deciding organ, who must find them (戒毒条例 21, 34), and after a change of place both offices. For 失联, the police station too. A reception not recorded goes to both centres: the sending one answers for
    /// the person until the receiving one has received them.
    /// </summary>
    private static List<string> Responsible(Case c, EscalationKind kind) => kind switch
    {
        // After a change of place both offices are told (戒毒条例 22: the sending one answers until the new one took the file).
        EscalationKind.NotCollected or EscalationKind.NotReported =>
            new[] { c.OfficeId, c.Community?.Move?.FromOfficeId, c.Community?.Move?.ToOfficeId, c.PoliceStationId, c.DecisionAuthorityId }
                .OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
        EscalationKind.NoContact => new[] { c.OfficeId, c.PoliceStationId }.OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
        EscalationKind.MoveNotAcknowledged => new[] { Owner(c, kind), c.Community?.Move?.FromOfficeId }.OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
        EscalationKind.NotReceived => new[] { Owner(c, kind), c.Commitment?.Transfer?.FromCentreId }.OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
        _ => new[] { Owner(c, kind) }.OfType<string>().ToList(),
    };

    /// <summary>The supervisors above the organisation that must act: county, city, province (those that exist).</summary>
    private static IReadOnlyList<IReadOnlyList<Organisation>> Ladder(Case c, EscalationKind kind, OrganisationDirectory directory)
    {
        var responsible = directory.Find(Owner(c, kind));
        return responsible is null
            ? []
            : directory.SupervisorLadder(responsible.Region, responsible.Kind);
    }
}
