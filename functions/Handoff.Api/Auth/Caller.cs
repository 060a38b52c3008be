using System.Security.Claims;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;

namespace Handoff.Api.Auth;

/// <summary>The authenticated organisation and how it authenticated.</summary>
public sealed record Caller(Organisation Organisation, string Credential)
{
    public Actor Actor => new(Organisation.Id, Credential);

    public static Caller From(ClaimsPrincipal user, OrganisationDirectory directory)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Unauthenticated request reached an endpoint.");
        var organisation = directory.Find(id) ?? throw new InvalidOperationException($"Organisation {id} is not in the directory.");
        return new Caller(organisation, user.FindFirstValue(ApiKeyAuthenticationHandler.CredentialClaim) ?? "unknown");
    }
}
