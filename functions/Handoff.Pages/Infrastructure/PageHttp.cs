using Handoff.Api.Auth;
using Handoff.Core.Organisations;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.DurableTask.Client;

namespace Handoff.Pages.Infrastructure;

/// <summary>
/// Every cross-cutting concern of the pages, in one place, called by both hosts for every page route (the Functions worker has no
/// middleware of ours): security headers, the session (the cookie handler called directly), antiforgery on every POST (the
/// antiforgery service called directly), the handler, and a page that says what went wrong.
/// </summary>
public static partial class PageHttp
{
    public static async Task<IResult> RunAsync(HttpContext http, DurableTaskClient client, PageRoute route)
    {
        var services = http.RequestServices;
        SecurityHeaders(http.Response);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Handoff.Pages");
        try
        {
            Caller? caller = null;
            var session = await http.AuthenticateAsync(PageSession.Scheme);
            if (session.Succeeded && services.GetRequiredService<OrganisationDirectory>().Find(session.Principal!.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value) is not null)
            {
                http.User = session.Principal!;
                caller = Caller.From(session.Principal!, services.GetRequiredService<OrganisationDirectory>());
            }

            if (caller is null && !route.Anonymous)
            {
                return HttpMethods.IsGet(http.Request.Method)
                    ? Results.Redirect("/signin?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString))
                    : await ErrorAsync(http, StatusCodes.Status401Unauthorized, "请先登录", "登录已过期或尚未登录。请重新登录后再办理。");
            }

            if (HttpMethods.IsPost(http.Request.Method) && route.Route != PageRoutes.OidcCallback)
            {
                try
                {
                    await services.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
                }
                catch (AntiforgeryValidationException ex)
                {
                    Refused(logger, route.Name, ex.Message);
                    return await ErrorAsync(http, StatusCodes.Status400BadRequest, "表单已失效",
                        "这个表单不是本系统刚刚给出的，或已经过期，未予办理。请返回上一页，刷新后重新提交。");
                }
            }

            return await route.Handler(new PageRequest(http, caller, client));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception ex)
        {
            Failed(logger, ex, route.Name);
            return await ErrorAsync(http, StatusCodes.Status500InternalServerError, "系统出错",
                "系统暂时无法完成这一操作。如果刚才提交了表单，请稍后打开案件查看是否已经办理，再决定是否重新提交。");
        }
    }

    /// <summary>Renders a component to an HTML page.</summary>
    public static async Task<IResult> RenderAsync<TComponent>(HttpContext http, IDictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(http.RequestServices, http.RequestServices.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        return Results.Content("<!DOCTYPE html>\n" + html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    public static Task<IResult> ErrorAsync(HttpContext http, int status, string title, string message) =>
        RenderAsync<Components.ErrorPage>(http, new Dictionary<string, object?>
        {
            [nameof(Components.ErrorPage.Frame)] = Frame(http, title),
            [nameof(Components.ErrorPage.Status)] = status,
            [nameof(Components.ErrorPage.Message)] = message,
        }, status);

    /// <summary>What every page's layout needs: the title, who is signed in, and the antiforgery token for its forms.</summary>
    public static PageFrame Frame(HttpContext http, string title)
    {
        var directory = http.RequestServices.GetRequiredService<OrganisationDirectory>();
        var organisation = http.User.Identity?.IsAuthenticated == true
            ? directory.Find(http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value)
            : null;
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return new PageFrame(title, organisation, http.User.FindFirst(System.Security.Claims.ClaimTypes.Name)?.Value, tokens.RequestToken ?? "",
            http.Request.Query["msg"].ToString() is { Length: > 0 } m ? m : null,
            http.Request.Query["err"].ToString() is { Length: > 0 } e ? e : null)
        {
            ErrorCase = http.Request.Query["case"].ToString() is { Length: > 0 } c ? c : null,
            ErrorAction = http.Request.Query["action"].ToString() is { Length: > 0 } a ? a : null,
            ErrorField = http.Request.Query["field"].ToString() is { Length: > 0 } f ? f : null,
        };
    }

    private static void SecurityHeaders(HttpResponse response)
    {
        response.Headers["Content-Security-Policy"] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "same-origin";
        // What antiforgery sets on every response with a token (and warns about when it must): pages are never cached.
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
    }

    [LoggerMessage(2201, LogLevel.Warning, "Page form {Route} refused: antiforgery check failed ({Reason})")]
    private static partial void Refused(ILogger logger, string route, string reason);

    [LoggerMessage(2202, LogLevel.Error, "Page {Route} failed unexpectedly")]
    private static partial void Failed(ILogger logger, Exception exception, string route);
}

/// <param name="Message">A one-line confirmation carried by the redirect after a form (<c>?msg=</c>), shown once.</param>
/// <param name="Error">A one-line refusal carried the same way (<c>?err=</c>).</param>
public sealed record PageFrame(string Title, Organisation? Organisation, string? DisplayName, string AntiforgeryToken, string? Message, string? Error)
{
    /// <summary>The case whose form was refused (<c>?case=</c>): a page that shows that case's form shows the refusal beside it.</summary>
    public string? ErrorCase { get; init; }

    /// <summary>The refused form's action (<c>?action=</c>: release, report…): a row with several forms shows it beside that one.</summary>
    public string? ErrorAction { get; init; }

    /// <summary>The field the refusal names (<c>?field=</c>).</summary>
    public string? ErrorField { get; init; }

    /// <summary>Whether the page shows the refusal beside a row rather than at the top (it lists the refused case's form).</summary>
    public bool ErrorBesideRow { get; init; }

    /// <summary>Where the top of the page points for a refusal shown beside its form: a list's row (<c>#row-{case}</c>), or a file's
    /// 办理 section (<c>act</c>).</summary>
    public string? ErrorSection { get; init; }

    /// <summary>The refusal in Chinese for the form <paramref name="action"/> of <paramref name="caseId"/>, if it was that one.</summary>
    public string? ErrorFor(string caseId, string action) =>
        Error is { Length: > 0 } e && ErrorBesideRow && ErrorCase == caseId && ErrorAction == action ? Zh.Problem(e, null) : null;

    /// <summary>
    /// A frame whose refusal is shown beside the refused form when the page draws that form again (<paramref name="forms"/>: each case
    /// and action the page offers), else at the top — a step refused because it was done meanwhile has no form left to stand beside.
    /// </summary>
    public PageFrame Beside(IEnumerable<(string CaseId, string Action)> forms) =>
        this with { ErrorBesideRow = ErrorCase is { } c && ErrorAction is { } a && forms.Contains((c, a)) };
}
