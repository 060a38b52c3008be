using Handoff.Core.Organisations;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Microsoft.AspNetCore.Authentication;

namespace Handoff.Pages.Handlers;

/// <summary>Sign-in and out. The sample sign-in exists only in Development (<see cref="IHostEnvironment.IsDevelopment"/>).</summary>
public static class SignInPages
{
    public static async Task<IResult> SignInAsync(PageRequest p)
    {
        var configuration = p.Get<IConfiguration>();
        var returnUrl = PageCommands.LocalReturn(p.Query("returnUrl"), "/home");
        var entra = PageSession.EntraEnabled(configuration);
        if (entra && p.Query("provider") == "entra")
        {
            await p.Http.ChallengeAsync(PageSession.OidcScheme, new AuthenticationProperties { RedirectUri = returnUrl });
            return Results.Empty;
        }

        var development = p.Get<IHostEnvironment>().IsDevelopment();
        return await PageHttp.RenderAsync<SignInPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(SignInPage.Frame)] = PageHttp.Frame(p.Http, "登录"),
            [nameof(SignInPage.Organisations)] = development ? p.Get<OrganisationDirectory>().All.ToList() : new List<Organisation>(),
            [nameof(SignInPage.EntraEnabled)] = entra,
            [nameof(SignInPage.ReturnUrl)] = returnUrl,
        });
    }

    /// <summary>Development only: signs in as the organisation's duty officer in one step (for people, scripts and tests).</summary>
    public static async Task<IResult> DevSignInAsync(PageRequest p)
    {
        if (!p.Get<IHostEnvironment>().IsDevelopment())
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status404NotFound, "没有这个页面", "示例单位登录只在开发环境中提供。");
        }

        if (p.Get<OrganisationDirectory>().Find(p.Route("organisationId")) is not { } organisation)
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status404NotFound, "没有这个单位", "单位名录中没有这个单位。");
        }

        await p.Http.SignInAsync(PageSession.Scheme, PageSession.Principal(organisation, $"dev:{organisation.Id}", $"{organisation.Name}值班人员"));
        return Results.Redirect(PageCommands.LocalReturn(p.Query("returnUrl"), "/home"));
    }

    public static async Task<IResult> SignOutAsync(PageRequest p)
    {
        await p.Http.SignOutAsync(PageSession.Scheme);
        return new SeeOther("/signin");
    }

    /// <summary>
    /// The OpenID Connect callback (form_post). The authentication middleware would hand it to the handler; the Functions worker has
    /// none, so both hosts route it here and the handler is asked directly.
    /// </summary>
    public static async Task<IResult> OidcCallbackAsync(PageRequest p)
    {
        var handlers = p.Get<IAuthenticationHandlerProvider>();
        if (PageSession.EntraEnabled(p.Get<IConfiguration>())
            && await handlers.GetHandlerAsync(p.Http, PageSession.OidcScheme) is IAuthenticationRequestHandler handler
            && await handler.HandleRequestAsync())
        {
            return Results.Empty; // The handler wrote the answer (the redirect to the page asked for, with the session cookie).
        }

        return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status400BadRequest, "登录未完成", "统一身份登录没有完成，请重新登录。");
    }

    public static Task<IResult> HomeAsync(PageRequest p) => Task.FromResult(Results.Redirect(p.By.Organisation.Kind switch
    {
        OrganisationKind.Centre => "/centre",
        OrganisationKind.Supervisor => "/supervisor",
        OrganisationKind.CommunityOffice => "/office",
        _ => "/police",
    }));
}
