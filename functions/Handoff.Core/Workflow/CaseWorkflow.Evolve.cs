using Handoff.Core.Cases;

namespace Handoff.Core.Workflow;

public static partial class CaseWorkflow
{
    /// <summary>Applies one event. Pure and total: every event in a valid history applies.</summary>
    /// <exception cref="InvalidOperationException">The history is broken (an event before registration).</exception>
    public static Case Evolve(Case? state, CaseEvent e)
    {
        if (e.Create() is { } created)
        {
            return created;
        }

        var c = state ?? throw new InvalidOperationException($"{e.GetType().Name} before the case was registered.");
        c = c with { EventCount = c.EventCount + 1 };
        return e switch
        {
            DeadlineSet x => c with { Deadlines = Replace(c.Deadlines, x.Deadline) },
            DeadlineMissed x => Missed(c, x.Step),
            EscalationOpened x => c with
            {
                Escalations =
                [
                    .. c.Escalations,
                    new Escalation(
                        x.EscalationId, x.Kind, 1, EscalationStatus.Open, x.At, x.NextClimbAt,
                        x.Recipients.Select(id => new EscalationRecipient(id, 1, x.At)).ToList(), null, null, []),
                ],
            },
            EscalationClimbed x => c with
            {
                Escalations = Update(c.Escalations, x.EscalationId, esc => esc with
                {
                    Level = x.Level,
                    NextClimbAt = x.NextClimbAt,
                    Recipients = [.. esc.Recipients, .. x.Recipients.Select(id => new EscalationRecipient(id, x.Level, x.At))],
                }),
            },
            EscalationResolved x => c with
            {
                Escalations = Update(c.Escalations, x.EscalationId, esc => esc with
                {
                    Status = EscalationStatus.Resolved,
                    ResolvedAt = x.At,
                    Resolution = x.Resolution,
                    NextClimbAt = null,
                }),
            },
            EscalationLadderEnded x => c with
            {
                Escalations = Update(c.Escalations, x.EscalationId, esc => esc with { NextClimbAt = null }),
            },
            StepFailed => c,
            EscalationRead x => c with
            {
                Escalations = Update(c.Escalations, x.EscalationId, esc => esc with
                {
                    ReadBy = [.. esc.ReadBy, new EscalationReceipt(x.By.OrganisationId, x.At)],
                }),
            },
            _ => e.Apply(c),
        };
    }

    /// <summary>Folds a whole history into the case it describes.</summary>
    public static Case Fold(IEnumerable<CaseEvent> history)
    {
        Case? state = null;
        foreach (var e in history)
        {
            state = Evolve(state, e);
        }

        return state ?? throw new InvalidOperationException("An empty history describes no case.");
    }

    private static Case Missed(Case c, DeadlineStep step)
    {
        var deadlines = c.Deadlines.Select(d => d.Step == step ? d with { Status = DeadlineStatus.Missed } : d).ToList();

        // 戒毒条例 38: no report within 15 days — the person is lost to the handoff (脱失) until they report.
        // For a 社区戒毒 order, "视为拒绝接受社区戒毒" (戒毒条例 14①).
        var state = step == DeadlineStep.Report && c.State is CaseState.Released or CaseState.Ordered ? CaseState.LostContact : c.State;
        return c with { Deadlines = deadlines, State = state };
    }

    private static List<Deadline> Replace(IReadOnlyList<Deadline> deadlines, Deadline deadline)
    {
        var list = deadlines.Where(d => d.Step != deadline.Step).ToList();
        list.Add(deadline);
        list.Sort((a, b) => a.Step.CompareTo(b.Step));
        return list;
    }

    private static List<Escalation> Update(IReadOnlyList<Escalation> escalations, string id, Func<Escalation, Escalation> change) =>
        escalations.Select(e => e.Id == id ? change(e) : e).ToList();
}
