using Handoff.Core.Cases;
using Handoff.Core.Notices;

namespace Handoff.Core.Workflow;

/// <summary>
/// What a command decides: either a rejection, or the events to append and the notices they cause.
/// An accepted decision with no events means the command was already in effect (idempotent repeat).
/// </summary>
public sealed record Decision
{
    private Decision(Case? state, IReadOnlyList<CaseEvent> events, IReadOnlyList<Notice> notices, Rejection? rejection)
    {
        State = state;
        Events = events;
        Notices = notices;
        Rejection = rejection;
    }

    /// <summary>The case after the events, or before a rejection (null when there is no case).</summary>
    public Case? State { get; }

    public IReadOnlyList<CaseEvent> Events { get; }

    public IReadOnlyList<Notice> Notices { get; }

    public Rejection? Rejection { get; }

    public bool IsRejected => Rejection is not null;

    public static Decision Accept(Case state, IReadOnlyList<CaseEvent> events, IReadOnlyList<Notice> notices) => new(state, events, notices, null);

    public static Decision Reject(Case? state, Rejection rejection) => new(state, [], [], rejection);
}
