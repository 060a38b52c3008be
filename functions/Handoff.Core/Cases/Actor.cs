namespace Handoff.Core.Cases;

/// <summary>Who did something, and through which credential (for the one complete file, 一人一档).</summary>
/// <param name="OrganisationId">The acting organisation, or <c>system</c> for the workflow itself.</param>
/// <param name="Credential">How it authenticated, e.g. <c>api-key</c>, <c>bearer:{subject}</c>, <c>timer</c>. Never a secret.</param>
public sealed record Actor(string OrganisationId, string Credential)
{
    public static readonly Actor System = new("system", "timer");
}
