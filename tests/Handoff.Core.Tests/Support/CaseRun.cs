using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Workflow;

using Handoff.Testing;

namespace Handoff.Core.Tests.Support;

/// <summary>Drives one case through decisions the way the runtime does: decide at an instant, keep the events and notices.</summary>
public sealed class CaseRun
{
    public Case? State { get; private set; }

    public List<CaseEvent> History { get; } = [];

    public List<Notice> Notices { get; } = [];

    public HandoffPolicy Policy { get; init; } = new();

    /// <summary>Policies by region prefix (<see cref="WorkflowContext.Regional"/>).</summary>
    public IReadOnlyDictionary<string, HandoffPolicy>? Regional { get; init; }

    public Decision Do(CaseCommand command, DateTimeOffset now)
    {
        var decision = CaseWorkflow.Decide(State, command, TestData.Context(now, Policy, Regional));
        if (!decision.IsRejected)
        {
            State = decision.State;
            History.AddRange(decision.Events);
            Notices.AddRange(decision.Notices);
        }

        return decision;
    }

    public Decision Accept(CaseCommand command, DateTimeOffset now)
    {
        var decision = Do(command, now);
        Assert.False(decision.IsRejected, decision.Rejection?.Detail);
        return decision;
    }

    public Case Case => State ?? throw new InvalidOperationException("No case yet.");

    public Deadline Deadline(DeadlineStep step) => Case.DeadlineFor(step) ?? throw new InvalidOperationException($"No {step} deadline.");

    public Escalation Escalation(EscalationKind kind) => Case.Escalations.Single(e => e.Kind == kind);
}
