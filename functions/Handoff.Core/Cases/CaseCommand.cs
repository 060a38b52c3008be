using System.Text.Json.Serialization;
using Handoff.Core.People;

namespace Handoff.Core.Cases;

/// <summary>A request to change a case, made by <see cref="By"/>. Every command is idempotent by its natural key:
/// repeating one that is already in effect decides no events. Serialised with a <c>type</c> discriminator: commands travel to the
/// case's orchestration as the payload of an external event. Each step's command is one file with its rule and its events
/// (<c>Handoff.Core/Release</c>, <c>Handoff.Core/Chain</c>), named on the wire by its <c>WireName</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MarkEscalationRead), "markEscalationRead")]
[JsonDerivedType(typeof(Tick), "tick")]
public abstract record CaseCommand(Actor By)
{
    /// <summary>
    /// The command's own rule, written in its file with its events: adds its events to <paramref name="b"/>, or returns why it is
    /// refused. <see cref="Workflow.CaseWorkflow.Decide"/> runs it, then acts on whatever is due.
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

/// <summary>A recipient marks an escalation notice read.</summary>
public sealed record MarkEscalationRead(Actor By, string EscalationId) : CaseCommand(By);

/// <summary>A durable wake-up: act on whatever is due at <c>now</c>. Early, late, duplicate or stale ticks are harmless.</summary>
public sealed record Tick() : CaseCommand(Actor.System);
