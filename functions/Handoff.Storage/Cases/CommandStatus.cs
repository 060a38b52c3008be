namespace Handoff.Storage.Cases;

/// <summary>Where a command row stands in the case's inbox.</summary>
public enum CommandStatus
{
    /// <summary>Received and written by the API; not yet decided by the case's orchestration.</summary>
    Accepted,

    /// <summary>Decided and committed with the case: its events appended (or none: it was already in effect).</summary>
    Applied,

    /// <summary>Decided and refused (the core's rejection, or <c>internal-error</c> for one that can never be applied).</summary>
    Refused,
}
