using Handoff.Pages.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Handoff.Functions;

/// <summary>
/// One HTTP function per <see cref="PageRoutes.All"/> entry (same name, method and route), each handing the request to
/// <see cref="PageHttp.RunAsync"/> exactly as the self-host does. The worker's ASP.NET Core pipeline is fixed (forwarded headers,
/// routing, request services, endpoints), so the session cookie, antiforgery and the OpenID Connect callback are handled in
/// <see cref="PageHttp"/> and the handlers, not by middleware; the assets are served by <see cref="PageRoutes.AssetFile"/>. A test checks
/// these against <see cref="PageRoutes.All"/>. Anonymous for the host: people sign in with our own session.
/// </summary>
public static class PageFunctions
{
    [Function(nameof(PageRoutes.SignInPage))]
    public static Task<IResult> SignInPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.SignIn)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.SignInPage);

    [Function(nameof(PageRoutes.DevSignInPage))]
    public static Task<IResult> DevSignInPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.DevSignIn)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.DevSignInPage);

    [Function(nameof(PageRoutes.SignOutForm))]
    public static Task<IResult> SignOutForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.SignOut)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.SignOutForm);

    [Function(nameof(PageRoutes.OidcCallbackForm))]
    public static Task<IResult> OidcCallbackForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.OidcCallback)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.OidcCallbackForm);

    [Function(nameof(PageRoutes.HomePage))]
    public static Task<IResult> HomePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Home)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.HomePage);

    [Function(nameof(PageRoutes.CentrePage))]
    public static Task<IResult> CentrePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Centre)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.CentrePage);

    [Function(nameof(PageRoutes.RegisterPage))]
    public static Task<IResult> RegisterPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Register)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.RegisterPage);

    [Function(nameof(PageRoutes.RegisterForm))]
    public static Task<IResult> RegisterForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.Register)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.RegisterForm);

    [Function(nameof(PageRoutes.CaseFilePage))]
    public static Task<IResult> CaseFilePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.CaseFile)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.CaseFilePage);

    [Function(nameof(PageRoutes.CaseActionForm))]
    public static Task<IResult> CaseActionForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.CaseAction)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.CaseActionForm);

    [Function(nameof(PageRoutes.OfficePage))]
    public static Task<IResult> OfficePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Office)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.OfficePage);

    [Function(nameof(PageRoutes.SupervisorPage))]
    public static Task<IResult> SupervisorPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Supervisor)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.SupervisorPage);

    [Function(nameof(PageRoutes.SupervisorCasesPage))]
    public static Task<IResult> SupervisorCasesPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.SupervisorCases)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.SupervisorCasesPage);

    [Function(nameof(PageRoutes.OverdueCsvPage))]
    public static Task<IResult> OverdueCsvPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.OverdueCsv)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.OverdueCsvPage);

    [Function(nameof(PageRoutes.EscalationReadForm))]
    public static Task<IResult> EscalationReadForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.EscalationRead)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.EscalationReadForm);

    [Function(nameof(PageRoutes.PolicePage))]
    public static Task<IResult> PolicePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Police)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.PolicePage);

    [Function(nameof(PageRoutes.InboxPage))]
    public static Task<IResult> InboxPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Inbox)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.InboxPage);

    [Function(nameof(PageRoutes.InboxReadForm))]
    public static Task<IResult> InboxReadForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.InboxRead)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.InboxReadForm);

    [Function(nameof(PageRoutes.PeoplePage))]
    public static Task<IResult> PeoplePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.People)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.PeoplePage);

    [Function(nameof(PageRoutes.PeopleSearchForm))]
    public static Task<IResult> PeopleSearchForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.People)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.PeopleSearchForm);

    [Function(nameof(PageRoutes.ChannelsPage))]
    public static Task<IResult> ChannelsPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Channels)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.ChannelsPage);

    [Function(nameof(PageRoutes.ChannelTestForm))]
    public static Task<IResult> ChannelTestForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.ChannelTest)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.ChannelTestForm);

    [Function(nameof(PageRoutes.AssetFile))]
    public static Task<IResult> AssetFile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Asset)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.AssetFile);

    [Function(nameof(PageRoutes.DecisionPage))]
    public static Task<IResult> DecisionPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Decision)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.DecisionPage);

    [Function(nameof(PageRoutes.CommunityOrderPage))]
    public static Task<IResult> CommunityOrderPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PageRoutes.Order)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.CommunityOrderPage);

    [Function(nameof(PageRoutes.CommunityOrderForm))]
    public static Task<IResult> CommunityOrderForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.Order)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.CommunityOrderForm);

    [Function(nameof(PageRoutes.DecisionForm))]
    public static Task<IResult> DecisionForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PageRoutes.Decision)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        PageHttp.RunAsync(req.HttpContext, client, PageRoutes.DecisionForm);
}
