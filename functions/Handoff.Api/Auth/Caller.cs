using System.Security.Claims;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;

namespace Handoff.Api.Auth;

/// <summary>The authenticated organisation, how it authenticated, and the person when the sign-in names one (a page session).</summary>
public sealed record Caller(Organisation Organisation, string Credential, string? PersonName = null)
{
    public Actor Actor => new(Organisation.Id, Credential, PersonName);

    public static Caller From(ClaimsPrincipal user, OrganisationDirectory directory)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Unauthenticated request reached an endpoint.");
        var organisation = directory.Find(id) ?? throw new InvalidOperationException($"Organisation {id} is not in the directory.");
        // A page session names its person (its display name, the organisation's own name when the sign-in gave none); an API key none.
        var name = user.FindFirstValue(ClaimTypes.Name);
        return new Caller(organisation, user.FindFirstValue(ApiKeyAuthenticationHandler.CredentialClaim) ?? "unknown",
            name is { Length: > 0 } && name != organisation.Name ? name : null);
    }
}
