using System.Security.Claims;
using Handoff.Api.Auth;
using Handoff.Core.Organisations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;

namespace Handoff.Pages.Infrastructure;

/// <summary>
/// Sign-in for people: a cookie session, opened in Azure by Microsoft Entra ID (OpenID Connect, when
/// <c>Handoff:Auth:Entra:Authority</c> and <c>Handoff:Auth:Entra:WebClientId</c> are set; the organisation comes from the same claim
/// as bearer tokens, <c>Handoff:Auth:Entra:OrganisationClaim</c>), and in Development only by choosing a sample organisation. The
/// session carries the same two claims as an API caller (organisation id, credential: <c>oidc:{oid}</c> or <c>dev:{organisationId}</c>),
/// so every page action is decided, authorised and recorded exactly as the API's.
/// <para>The Functions worker runs no authentication or antiforgery middleware (its pipeline is forwarded headers, routing, its
/// request-services middleware and endpoints: Worker.Extensions.Http.AspNetCore, FunctionsHostBuilderExtensions), so nothing here
/// relies on one: <see cref="PageHttp"/> calls the cookie handler, the antiforgery service and the OpenID Connect callback itself.</para>
/// </summary>
public static class PageSession
{
    public const string Scheme = "HandoffSession";
    public const string OidcScheme = "HandoffEntra";
    public const string CookieName = "handoff-session";
    public const string AntiforgeryCookieName = "handoff-antiforgery";
    public const string AntiforgeryField = "__RequestVerificationToken";
    public const string OidcCallbackPath = "/signin-oidc";

    /// <summary>How long a session lasts without use (sliding): a duty shift.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    public static bool EntraEnabled(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["Handoff:Auth:Entra:Authority"]) && !string.IsNullOrEmpty(configuration["Handoff:Auth:Entra:WebClientId"]);

    public static IServiceCollection AddHandoffPages(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.FormFieldName = AntiforgeryField;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        var protection = services.AddDataProtection().SetApplicationName("handoff");
        if (!environment.IsDevelopment())
        {
            // Every instance of the Function App must read the others' cookies: the key ring lives in storage, not on one machine.
            services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>(
                sp => new Microsoft.Extensions.Options.ConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(
                    o => o.XmlRepository = new BlobKeyRepository(StorageBlobs.Container(configuration, "handoff-keys"))));
        }

        // HtmlRenderer needs no Razor Components endpoint services (AddRazorComponents): the pages are rendered to a string behind an IResult.
        // Chinese text as characters, not numeric entities: the renderer takes the encoder from the container.
        services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        var authentication = new AuthenticationBuilder(services).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.TimeProvider = TimeProvider.System; // Session lifetimes are real time, never the workflow's clock.
        });

        if (EntraEnabled(configuration))
        {
            var entra = configuration.GetSection("Handoff:Auth:Entra");
            var claim = entra["OrganisationClaim"] is { Length: > 0 } c ? c : "handoff_org";
            authentication.AddOpenIdConnect(OidcScheme, o =>
            {
                o.Authority = entra["Authority"];
                o.ClientId = entra["WebClientId"];
                o.ClientSecret = entra["WebClientSecret"];
                o.ResponseType = "code";
                o.CallbackPath = OidcCallbackPath;
                o.SignInScheme = Scheme;
                o.MapInboundClaims = false;
                o.TimeProvider = TimeProvider.System;
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.Events = new OpenIdConnectEvents
                {
                    OnTokenValidated = context =>
                    {
                        var directory = context.HttpContext.RequestServices.GetRequiredService<OrganisationDirectory>();
                        var organisation = directory.Find(context.Principal?.FindFirst(claim)?.Value);
                        if (organisation is null)
                        {
                            context.Fail($"The sign-in's {claim} claim names no organisation in the directory.");
                            return Task.CompletedTask;
                        }

                        var oid = context.Principal!.FindFirst("oid")?.Value ?? context.Principal.FindFirst("sub")?.Value ?? "unknown";
                        var name = context.Principal.FindFirst("name")?.Value;
                        context.Principal = Principal(organisation, $"oidc:{oid}", name);
                        return Task.CompletedTask;
                    },
                };
            });
        }

        return services;
    }

    /// <summary>The session's identity: the organisation, how the person signed in, and a display name.</summary>
    public static ClaimsPrincipal Principal(Organisation organisation, string credential, string? displayName) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, organisation.Id),
            new Claim(ApiKeyAuthenticationHandler.CredentialClaim, credential),
            new Claim(ClaimTypes.Name, displayName ?? organisation.Name),
        ],
        Scheme));
}
