namespace Handoff.Workflow;

/// <summary>
/// A case's orchestration's custom status while its activity cannot apply its steps: shown by the engine's instance queries, and
/// listed for the operator under <c>/healthz</c> (<c>blocked</c>). Instants are real time (UTC).
/// </summary>
/// <param name="Since">When the activity first failed past its retries.</param>
/// <param name="Failures">How many rounds of retries have failed.</param>
/// <param name="Error">The last failure (exception type and message).</param>
/// <param name="NextTryAt">When the orchestration tries again.</param>
public sealed record BlockedStatus(DateTimeOffset Since, int Failures, string Error, DateTimeOffset NextTryAt)
{
    /// <summary>What the custom status says, so that a glance at the engine's instances tells blocked from running.</summary>
    public string Status => "blocked";
}
