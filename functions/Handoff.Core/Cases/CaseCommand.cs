using System.Text.Json.Serialization;
using Handoff.Core.People;

namespace Handoff.Core.Cases;

/// <summary>A request to change a case, made by <see cref="By"/>. Every command is idempotent by its natural key:
/// repeating one that is already in effect decides no events. Serialised with a <c>type</c> discriminator: commands travel to the
/// case's orchestration as the payload of an external event.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RegisterRelease), "registerRelease")]
[JsonDerivedType(typeof(AcknowledgeNotice), "acknowledgeNotice")]
[JsonDerivedType(typeof(RecordRelease), "recordRelease")]
[JsonDerivedType(typeof(RecordReport), "recordReport")]
[JsonDerivedType(typeof(RecordAgreement), "recordAgreement")]
[JsonDerivedType(typeof(CancelRelease), "cancelRelease")]
[JsonDerivedType(typeof(PostponeRelease), "postponeRelease")]
[JsonDerivedType(typeof(RecordPersonFound), "recordPersonFound")]
[JsonDerivedType(typeof(MarkEscalationRead), "markEscalationRead")]
[JsonDerivedType(typeof(Tick), "tick")]
public abstract record CaseCommand(Actor By)
{
    /// <summary>
    /// The command's own rule, for a command written in one place with its events (<c>Handoff.Core/Chain</c>): adds its events to
    /// <paramref name="b"/>, or returns why it is refused. The commands of the release handoff are decided in
    /// <see cref="Workflow.CaseWorkflow.Decide"/>.
    /// </summary>
    internal virtual Workflow.Rejection? Decide(Workflow.DecisionBuilder b) =>
        throw new InvalidOperationException($"{GetType().Name} has no rule.");
}

/// <summary>A command that opens a person's file (creates the case): one open file per person (<see cref="Person"/>'s lookup hash).</summary>
/// <remarks>Its id and person come first in the JSON, where a registration's always were (the stored payloads' golden files pin it).</remarks>
public abstract record OpenCase(
    Actor By,
    [property: System.Text.Json.Serialization.JsonPropertyOrder(-2)] string CaseId,
    [property: System.Text.Json.Serialization.JsonPropertyOrder(-1)] PersonRecord Person) : CaseCommand(By)
{
    /// <summary>The decision on a case that does not exist yet.</summary>
    internal abstract Workflow.Decision Open(Workflow.WorkflowContext context);

    /// <summary>The same command again on the case it opened: accepted with no events if it is the same, else refused.</summary>
    internal abstract Workflow.Decision Repeat(Case current);
}

/// <summary>A centre registers an upcoming release (creates the case).</summary>
public sealed record RegisterRelease(
    Actor By, string CaseId, PersonRecord Person,
    string OfficeId, string PoliceStationId, string DecisionAuthorityId,
    DateOnly ReleaseDate, ReleaseType ReleaseType, int RehabilitationYears) : OpenCase(By, CaseId, Person)
{
    internal override Workflow.Decision Open(Workflow.WorkflowContext context) => Workflow.CaseWorkflow.Register(this, context);

    internal override Workflow.Decision Repeat(Case current) => Workflow.CaseWorkflow.RepeatRegistration(current, this);
}

public sealed record AcknowledgeNotice(Actor By) : CaseCommand(By);

public sealed record RecordRelease(Actor By, DateTimeOffset ReleasedAt, CollectedBy CollectedBy) : CaseCommand(By);

public sealed record RecordReport(Actor By, DateTimeOffset ReportedAt) : CaseCommand(By);

public sealed record RecordAgreement(Actor By, DateTimeOffset SignedAt) : CaseCommand(By);

public sealed record CancelRelease(Actor By, string? Reason) : CaseCommand(By);

public sealed record PostponeRelease(Actor By, DateOnly NewReleaseDate, string? Reason) : CaseCommand(By);

/// <summary>Police (or the office) record that a person who was not collected or did not report has been found.</summary>
public sealed record RecordPersonFound(Actor By, DateTimeOffset FoundAt, string? Note) : CaseCommand(By);

/// <summary>A recipient marks an escalation notice read.</summary>
public sealed record MarkEscalationRead(Actor By, string EscalationId) : CaseCommand(By);

/// <summary>A durable wake-up: act on whatever is due at <c>now</c>. Early, late, duplicate or stale ticks are harmless.</summary>
public sealed record Tick() : CaseCommand(Actor.System);
