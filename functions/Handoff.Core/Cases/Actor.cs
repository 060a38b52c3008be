using System.Text.Json.Serialization;

namespace Handoff.Core.Cases;

/// <summary>Who did something, and through which credential (for the one complete file, 一人一档).</summary>
/// <param name="OrganisationId">The acting organisation, or <c>system</c> for the workflow itself.</param>
/// <param name="Credential">How it authenticated, e.g. <c>api-key</c>, <c>bearer:{subject}</c>, <c>timer</c>. Never a secret.</param>
/// <param name="Name">The person signed in, when the sign-in names one (a page session): the responsible officer the file shows. Left
/// out of the JSON when there is none, so events recorded before it was kept read and write as they were.</param>
public sealed record Actor(
    string OrganisationId,
    string Credential,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name = null)
{
    public static readonly Actor System = new("system", "timer");
}
