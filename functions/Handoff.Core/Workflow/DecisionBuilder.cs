using Handoff.Core.Cases;
using Handoff.Core.Notices;

namespace Handoff.Core.Workflow;

/// <summary>Collects a decision's events, evolving the case as it goes so later rules see earlier events, and composing their notices.</summary>
internal sealed class DecisionBuilder(Case? state, WorkflowContext context)
{
    private readonly List<CaseEvent> _events = [];
    private readonly List<Notice> _notices = [];

    public Case State => state ?? throw new InvalidOperationException("No case yet.");

    public WorkflowContext Context => context;

    public DateTimeOffset Now => context.Now;

    /// <summary>The events added so far.</summary>
    public IReadOnlyList<CaseEvent> Events => _events;

    public void Add(CaseEvent e)
    {
        state = CaseWorkflow.Evolve(state, e);
        _events.Add(e);
        _notices.AddRange(NoticeComposer.Compose(e, state, context.Directory));
    }

    /// <summary>Notices a rule composes itself (after the events they depend on), rather than from one event.</summary>
    public void Notify(IEnumerable<Notice> notices) => _notices.AddRange(notices);

    public void SetDeadline(Actor by, Deadline deadline)
    {
        if (state?.DeadlineFor(deadline.Step) != deadline)
        {
            Add(new DeadlineSet(Now, by, deadline));
        }
    }

    public Decision Build() => Decision.Accept(State, _events, _notices);
}
