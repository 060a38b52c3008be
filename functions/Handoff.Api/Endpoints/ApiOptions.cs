namespace Handoff.Api.Endpoints;

/// <summary>The API's settings (<c>Handoff:Api</c>).</summary>
public sealed record ApiOptions
{
    /// <summary>
    /// How long a command waits for its case's orchestration to apply it before answering <c>202 Accepted</c> (real time).
    /// Default 2 seconds; 0–30 s.
    /// </summary>
    public TimeSpan CommandWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A command retried with its <c>Idempotency-Key</c> while it is still pending (after a 202, a dropped connection) is raised to its
    /// orchestration again only once this long has passed since it was last raised (real time): each raise would queue one more repeat
    /// behind a busy orchestration. Default 30 seconds.
    /// </summary>
    public TimeSpan RaiseAgainAfter { get; init; } = TimeSpan.FromSeconds(30);
}
