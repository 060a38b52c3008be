using System.Security.Claims;
using Handoff.Core.Organisations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Handoff.Api.Auth;

/// <summary>
/// Microsoft Entra ID bearer tokens as a second way in, beside API keys: on when <c>Handoff:Auth:Entra:Authority</c> and
/// <c>Audience</c> are set (Azure China: <c>https://login.partner.microsoftonline.cn/{tenant}/v2.0</c>). The claim named by
/// <c>Handoff:Auth:Entra:OrganisationClaim</c> (default <c>handoff_org</c>, e.g. an app role or a directory extension) must hold the
/// id of an organisation in the directory; a token without one is refused. A request carrying <c>Authorization: Bearer</c> is
/// judged by the token, any other by its API key.
/// </summary>
public static class EntraAuthentication
{
    public const string PolicyScheme = "Handoff";

    public static AuthenticationBuilder AddHandoffAuthentication(this IServiceCollection services, IConfiguration configuration, OrganisationDirectory directory)
    {
        var entra = configuration.GetSection("Handoff:Auth:Entra");
        var enabled = !string.IsNullOrEmpty(entra["Authority"]) && !string.IsNullOrEmpty(entra["Audience"]);
        var builder = services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "API key or Entra ID token", o => o.ForwardDefaultSelector = context =>
                enabled && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (!enabled)
        {
            return builder;
        }

        var claim = entra["OrganisationClaim"] is { Length: > 0 } c ? c : "handoff_org";
        return builder.AddJwtBearer(o =>
        {
            o.Authority = entra["Authority"];
            o.Audience = entra["Audience"];
            o.MapInboundClaims = false;

            // Token lifetimes are real time, never the workflow's (possibly accelerated development) clock.
            o.TimeProvider = TimeProvider.System;
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    var organisation = directory.Find(context.Principal?.FindFirst(claim)?.Value);
                    if (organisation is null)
                    {
                        context.Fail($"The token's {claim} claim names no organisation in the directory.");
                        return Task.CompletedTask;
                    }

                    var subject = context.Principal!.FindFirst("oid")?.Value ?? context.Principal.FindFirst("sub")?.Value ?? "unknown";
                    context.Principal.AddIdentity(new ClaimsIdentity(
                    [
                        new Claim(ClaimTypes.NameIdentifier, organisation.Id),
                        new Claim(ApiKeyAuthenticationHandler.CredentialClaim, $"bearer:{subject}"),
                    ]));
                    return Task.CompletedTask;
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await Results.Problem(
                        statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                        detail: context.AuthenticateFailure is { } failure
                            ? $"The bearer token was refused: {failure.Message}"
                            : "The bearer token is missing, invalid, expired, or names no organisation in the directory.",
                        extensions: new Dictionary<string, object?> { ["code"] = "unauthenticated" }).ExecuteAsync(context.HttpContext);
                },
            };
        });
    }
}
