using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Core.Time;

namespace Handoff.Core.Workflow;

/// <summary>
/// The handoff workflow as pure functions: <see cref="Decide"/> turns a command into events (or a rejection),
/// <see cref="Evolve"/> applies an event. Time is the <see cref="WorkflowContext.Now"/> input; nothing here reads a clock or does I/O.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>
    /// Decides what a command does to a case. After the command's own events it also acts on anything due at <c>now</c>
    /// (missed deadlines, escalation climbs), so the outcome does not depend on when the last wake-up ran.
    /// </summary>
    public static Decision Decide(Case? current, CaseCommand command, WorkflowContext context)
    {
        if (command is OpenCase open)
        {
            return current is null ? open.Open(context) : open.Repeat(current);
        }

        if (current is null)
        {
            return Decision.Reject(null, new Rejection(RejectionKind.NotFound, "case-not-found", null, "No such case."));
        }

        var b = new DecisionBuilder(current, context);
        var rejection = command switch
        {
            MarkEscalationRead x => MarkRead(b, x),
            Tick => null,
            _ => command.Decide(b),
        };
        if (rejection is not null)
        {
            return Decision.Reject(current, rejection);
        }

        ActOnWhatIsDue(b);
        return b.Build();
    }

    /// <summary>The next instant at which something falls due: an open, firm deadline or an escalation climb. Null when nothing will.</summary>
    public static DateTimeOffset? NextDueAt(Case c)
    {
        var deadlines = c.Deadlines.Where(d => d.Status == DeadlineStatus.Open && !d.Provisional).Select(d => (DateTimeOffset?)d.DueAt);
        var climbs = c.Escalations.Where(e => e.Status == EscalationStatus.Open).Select(e => e.NextClimbAt);
        return deadlines.Concat(climbs).Where(t => t is not null).Min();
    }

    /// <summary>Whether a unit at <paramref name="officeRegion"/> serves a person registered or living in those regions (either within
    /// the other's scope).</summary>
    public static bool ServesPerson(RegionCode officeRegion, string registered, string residence) =>
        new[] { registered, residence }.Any(r =>
            RegionCode.TryParse(r, out var person)
            && (officeRegion.IsWithin(person.Value.ScopePrefix) || person.Value.IsWithin(officeRegion.ScopePrefix)));

    /// <summary>Sets the notice, acknowledgement, release, report and agreement deadlines for the planned release date.</summary>
    internal static void PlanAfterNotice(DecisionBuilder b, Actor by, bool acknowledgementDue, bool planNotice = true)
    {
        var c = b.State;
        if (planNotice)
        {
            var notice = DeadlinePlanner.Notice(c.ReleaseDate, b.Now);
            b.SetDeadline(by, notice);
            if (notice.Status == DeadlineStatus.Missed && !HasOpen(c, EscalationKind.LateNotice))
            {
                // 戒毒条例 34: registered less than 3 days ahead. It can never be remedied, so it does not climb like a missed step: the
                // centre and the supervisor above it are told at once, and it ends when the office acknowledges or the person is released.
                OpenAsNotice(b, EscalationKind.LateNotice);
            }
        }

        var officePolicy = b.Context.PolicyOf(c.OfficeId);
        if (acknowledgementDue)
        {
            b.SetDeadline(by, DeadlinePlanner.Acknowledgement(b.Now, b.Context.Calendar, officePolicy));
        }

        b.SetDeadline(by, DeadlinePlanner.Release(c.ReleaseDate));
        if (c.RehabilitationYears > 0)
        {
            var report = DeadlinePlanner.Report(c.ReleaseDate, provisional: true, b.Context.Calendar);
            b.SetDeadline(by, report);
            b.SetDeadline(by, DeadlinePlanner.Agreement(report.LastDay, provisional: true, b.Context.Calendar, officePolicy));
        }
    }

    private static Rejection? MarkRead(DecisionBuilder b, MarkEscalationRead x)
    {
        var escalation = b.State.Escalations.FirstOrDefault(e => e.Id == x.EscalationId);
        if (escalation is null)
        {
            return new Rejection(RejectionKind.NotFound, "escalation-not-found", null, "No such escalation.");
        }

        if (escalation.Recipients.All(r => r.OrganisationId != x.By.OrganisationId))
        {
            return Rejection.Forbidden("Only an organisation told of the escalation can mark it read.");
        }

        if (escalation.ReadBy.All(r => r.OrganisationId != x.By.OrganisationId))
        {
            b.Add(new EscalationRead(b.Now, x.By, x.EscalationId));
        }

        return null;
    }
}
