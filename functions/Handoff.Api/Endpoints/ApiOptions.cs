namespace Handoff.Api.Endpoints;

/// <summary>The API's settings (<c>Handoff:Api</c>).</summary>
public sealed record ApiOptions
{
    /// <summary>
    /// How long a command waits for its case's orchestration to apply it before answering <c>202 Accepted</c> (real time).
    /// Default 2 seconds; 0–30 s.
    /// </summary>
    public TimeSpan CommandWait { get; init; } = TimeSpan.FromSeconds(2);
}
