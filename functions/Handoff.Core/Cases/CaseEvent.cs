using System.Text.Json.Serialization;
using Handoff.Core.People;

namespace Handoff.Core.Cases;

/// <summary>
/// Something that happened to a case. The history of events is the person's one complete file (一人一档):
/// folding it with <see cref="Workflow.CaseWorkflow.Evolve"/> reproduces the case.
/// Events carry every computed value (deadlines, recipients), so replay needs no calendar or directory.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DeadlineSet), "deadlineSet")]
[JsonDerivedType(typeof(DeadlineMissed), "deadlineMissed")]
[JsonDerivedType(typeof(EscalationOpened), "escalationOpened")]
[JsonDerivedType(typeof(EscalationClimbed), "escalationClimbed")]
[JsonDerivedType(typeof(EscalationResolved), "escalationResolved")]
[JsonDerivedType(typeof(EscalationLadderEnded), "escalationLadderEnded")]
[JsonDerivedType(typeof(EscalationRead), "escalationRead")]
[JsonDerivedType(typeof(StepFailed), "stepFailed")]
public abstract record CaseEvent(DateTimeOffset At, Actor By)
{
    /// <summary>For an event that opens a file: the case it creates. Null for every other event.</summary>
    internal virtual Case? Create() => null;

    /// <summary>
    /// What the event changes, written with its command; the workflow's own events (deadlines, escalations) are applied in
    /// <see cref="Workflow.CaseWorkflow.Evolve"/>.
    /// </summary>
    internal virtual Case Apply(Case c) => throw new InvalidOperationException($"No evolve rule for {GetType().Name}.");

    /// <summary>The notices the event causes, given the case after it, for an event written with its command.</summary>
    internal virtual IReadOnlyList<Notices.Notice> Notices(Case after, Organisations.OrganisationDirectory directory) => [];
}

/// <summary>A deadline was set or moved, or its status changed; it replaces the step's previous deadline.</summary>
public sealed record DeadlineSet(DateTimeOffset At, Actor By, Deadline Deadline) : CaseEvent(At, By);

/// <summary>A deadline passed with its step not done. What it changes (e.g. 脱失) is in Evolve.</summary>
public sealed record DeadlineMissed(DateTimeOffset At, Actor By, DeadlineStep Step) : CaseEvent(At, By);

public sealed record EscalationOpened(
    DateTimeOffset At, Actor By, string EscalationId, EscalationKind Kind,
    IReadOnlyList<string> Recipients, DateTimeOffset? NextClimbAt) : CaseEvent(At, By);

public sealed record EscalationClimbed(
    DateTimeOffset At, Actor By, string EscalationId, int Level,
    IReadOnlyList<string> Recipients, DateTimeOffset? NextClimbAt) : CaseEvent(At, By);

/// <summary>
/// An escalation due to climb found no higher supervisor (the directory changed since it opened): it stays open at its level
/// and climbs no more.
/// </summary>
public sealed record EscalationLadderEnded(DateTimeOffset At, Actor By, string EscalationId) : CaseEvent(At, By);

public sealed record EscalationResolved(DateTimeOffset At, Actor By, string EscalationId, string Resolution) : CaseEvent(At, By);

public sealed record EscalationRead(DateTimeOffset At, Actor By, string EscalationId) : CaseEvent(At, By);

/// <summary>
/// A command received at <see cref="CaseEvent.At"/> could not be applied and never will be — its payload could not be read, or deciding it
/// broke an invariant of the stored case — so it was refused with <c>internal-error</c>. Kept in the file so that whoever reads the case
/// sees that something was sent and not recorded, and by whom; it changes nothing else.
/// </summary>
/// <param name="Command">The command's type, or what could be read of it.</param>
/// <param name="CommandId">The command's id (its URL is <c>/api/cases/{caseId}/commands/{commandId}</c>).</param>
/// <param name="Error">What went wrong, for the operator (no personal data: exception type and message of our own code).</param>
public sealed record StepFailed(DateTimeOffset At, Actor By, string Command, string CommandId, string Error) : CaseEvent(At, By);
