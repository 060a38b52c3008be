namespace Handoff.Core.Workflow;

/// <summary>Why a command was refused; the host maps each to an HTTP status.</summary>
public enum RejectionKind
{
    /// <summary>Bad input: a field breaks a rule (400).</summary>
    Invalid,

    /// <summary>The caller may see the case but not do this (403).</summary>
    Forbidden,

    /// <summary>No such case, or the caller may not know it exists (404).</summary>
    NotFound,

    /// <summary>The case is not in a state where this can happen, or it was already done differently (409).</summary>
    Conflict,

    /// <summary>The command can never be applied: its payload is unreadable, or deciding it broke an invariant of the stored case (500).</summary>
    Internal,
}
