using Handoff.Core.Cases;
using Handoff.Core.Workflow;

namespace Handoff.Storage.Runtime;

/// <summary>The result of running a command: the case as it now stands, or a rejection.</summary>
/// <param name="Replayed">The same idempotency key was seen before: nothing was changed.</param>
/// <param name="Created">The command created the case.</param>
public sealed record CommandOutcome(Case? Case, Rejection? Rejection, bool Replayed = false, bool Created = false)
{
    public static CommandOutcome Rejected(Case? c, Rejection rejection) => new(c, rejection);
}
