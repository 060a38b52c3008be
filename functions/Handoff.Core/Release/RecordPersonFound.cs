using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Cases;

/// <summary>Police (or the office) record that a person who was not collected at the gate has been found: the search ends.</summary>
[WireName("recordPersonFound")]
public sealed record RecordPersonFound(Actor By, DateTimeOffset FoundAt, string? Note) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (By.OrganisationId != c.PoliceStationId && By.OrganisationId != c.OfficeId)
        {
            return Rejection.Forbidden("Only the police station or the receiving office records that the person was found.");
        }

        if (Text.TextRules.Note(Note) is { } noteRule)
        {
            return Rejection.Invalid("note", "invalid-text", noteRule);
        }

        if (c.ReleasedAt is null)
        {
            return Rejection.Conflict("not-released", "The person has not been released.");
        }

        var note = Text.TextRules.CleanNote(Note);
        if (c.FoundAt == FoundAt)
        {
            return null;
        }

        if (Checks.When(b, "foundAt", FoundAt, c.ReleasedAt, "release") is { } when)
        {
            return when;
        }

        b.Add(new PersonFound(b.Now, By, FoundAt, note));
        CaseWorkflow.Resolve(b, By, "人员已找到", EscalationKind.NotCollected);
        return null;
    }
}

/// <summary>A person not collected was found.</summary>
[WireName("personFound")]
public sealed record PersonFound(DateTimeOffset At, Actor By, DateTimeOffset FoundAt, string? Note) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { FoundAt = FoundAt };
}
