using Handoff.Pages.Handlers;

namespace Handoff.Pages.Infrastructure;

/// <summary>Every page and form target, once. Both hosts map these (the Function App as one HTTP function each, same name and route).</summary>
public static class PageRoutes
{
    public const string SignIn = "signin";
    public const string DevSignIn = "signin/dev/{organisationId}";
    public const string SignOut = "signout";
    public const string OidcCallback = "signin-oidc";
    public const string Home = "home";
    public const string Centre = "centre";
    public const string Register = "centre/register";
    public const string CaseFile = "cases/{id}";
    public const string CaseAction = "cases/{id}/actions/{action}";
    public const string Office = "office";
    public const string Supervisor = "supervisor";
    public const string SupervisorCases = "supervisor/cases";
    public const string OverdueCsv = "supervisor/overdue.csv";
    public const string EscalationRead = "escalations/{id}/read";
    public const string Police = "police";
    public const string Decision = "police/decision";
    public const string Order = "police/order";
    public const string Inbox = "inbox";
    public const string InboxRead = "inbox/read";
    public const string People = "people";
    public const string Channels = "channels";
    public const string ChannelTest = "channels/test";
    public const string Asset = "assets/{name}";

    public static readonly PageRoute SignInPage = new(nameof(SignInPage), "GET", SignIn, true, SignInPages.SignInAsync);
    public static readonly PageRoute DevSignInPage = new(nameof(DevSignInPage), "GET", DevSignIn, true, SignInPages.DevSignInAsync);
    public static readonly PageRoute SignOutForm = new(nameof(SignOutForm), "POST", SignOut, true, SignInPages.SignOutAsync);
    public static readonly PageRoute OidcCallbackForm = new(nameof(OidcCallbackForm), "POST", OidcCallback, true, SignInPages.OidcCallbackAsync);
    public static readonly PageRoute HomePage = new(nameof(HomePage), "GET", Home, false, SignInPages.HomeAsync);
    public static readonly PageRoute CentrePage = new(nameof(CentrePage), "GET", Centre, false, CentrePages.CasesAsync);
    public static readonly PageRoute RegisterPage = new(nameof(RegisterPage), "GET", Register, false, CentrePages.RegisterFormAsync);
    public static readonly PageRoute RegisterForm = new(nameof(RegisterForm), "POST", Register, false, CentrePages.RegisterAsync);
    public static readonly PageRoute CaseFilePage = new(nameof(CaseFilePage), "GET", CaseFile, false, CasePages.FileAsync);
    public static readonly PageRoute CaseActionForm = new(nameof(CaseActionForm), "POST", CaseAction, false, CasePages.ActionAsync);
    public static readonly PageRoute OfficePage = new(nameof(OfficePage), "GET", Office, false, OfficePages.WorkListAsync);
    public static readonly PageRoute SupervisorPage = new(nameof(SupervisorPage), "GET", Supervisor, false, SupervisorPages.DashboardAsync);
    public static readonly PageRoute SupervisorCasesPage = new(nameof(SupervisorCasesPage), "GET", SupervisorCases, false, SupervisorPages.CasesAsync);
    public static readonly PageRoute OverdueCsvPage = new(nameof(OverdueCsvPage), "GET", OverdueCsv, false, SupervisorPages.OverdueCsvAsync);
    public static readonly PageRoute EscalationReadForm = new(nameof(EscalationReadForm), "POST", EscalationRead, false, InboxPages.EscalationReadFormAsync);
    public static readonly PageRoute PolicePage = new(nameof(PolicePage), "GET", Police, false, PolicePages.WorkListAsync);
    public static readonly PageRoute DecisionPage = new(nameof(DecisionPage), "GET", Decision, false, PolicePages.DecisionFormAsync);
    public static readonly PageRoute DecisionForm = new(nameof(DecisionForm), "POST", Decision, false, PolicePages.DecideAsync);
    public static readonly PageRoute CommunityOrderPage = new(nameof(CommunityOrderPage), "GET", Order, false, PolicePages.OrderFormAsync);
    public static readonly PageRoute CommunityOrderForm = new(nameof(CommunityOrderForm), "POST", Order, false, PolicePages.OrderAsync);
    public static readonly PageRoute InboxPage = new(nameof(InboxPage), "GET", Inbox, false, InboxPages.InboxAsync);
    public static readonly PageRoute InboxReadForm = new(nameof(InboxReadForm), "POST", InboxRead, false, InboxPages.MarkReadAsync);
    public static readonly PageRoute PeoplePage = new(nameof(PeoplePage), "GET", People, false, PeoplePages.ListAsync);
    public static readonly PageRoute PeopleSearchForm = new(nameof(PeopleSearchForm), "POST", People, false, PeoplePages.SearchAsync);
    public static readonly PageRoute ChannelsPage = new(nameof(ChannelsPage), "GET", Channels, false, ChannelPages.ChannelsAsync);
    public static readonly PageRoute ChannelTestForm = new(nameof(ChannelTestForm), "POST", ChannelTest, false, ChannelPages.TestAsync);
    public static readonly PageRoute AssetFile = new(nameof(AssetFile), "GET", Asset, true, PageAssets.GetAsync);

    public static IReadOnlyList<PageRoute> All { get; } =
    [
        SignInPage, DevSignInPage, SignOutForm, OidcCallbackForm, HomePage, CentrePage, RegisterPage, RegisterForm, CaseFilePage, CaseActionForm,
        OfficePage, SupervisorPage, SupervisorCasesPage, OverdueCsvPage, EscalationReadForm, PolicePage, InboxPage, InboxReadForm, PeoplePage,
        PeopleSearchForm, AssetFile, DecisionPage, DecisionForm, CommunityOrderPage, CommunityOrderForm, ChannelsPage, ChannelTestForm,
    ];
}
