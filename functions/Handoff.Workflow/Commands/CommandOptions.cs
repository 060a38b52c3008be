namespace Handoff.Workflow;

/// <summary>The command path's settings (<c>Handoff:Api</c>). Durations are real time.</summary>
public sealed record CommandOptions
{
    /// <summary>
    /// How long a command waits for its case's orchestration to apply it before answering <c>202 Accepted</c>. Default 2 seconds; 0–30 s.
    /// </summary>
    public TimeSpan CommandWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A command retried with its <c>Idempotency-Key</c> while it still waits (after a 202, a dropped connection) signals its orchestration
    /// again only once this long has passed since it was received: the first signal is most likely still on its way. Default 30 seconds.
    /// </summary>
    public TimeSpan RaiseAgainAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often, at most, a command found waiting makes the API look at its case's orchestration (and have it restored at once if it is
    /// not running) instead of leaving it to the reconciler's sweep. Default 10 seconds.
    /// </summary>
    public TimeSpan CheckAgainAfter { get; init; } = TimeSpan.FromSeconds(10);
}
