using Handoff.Core.Notices;
using Handoff.Storage.Index;
using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>
/// Every HTTP operation, once. The self-host maps each entry; the Function App declares one HTTP function per entry with the same
/// name, method and route (the constants below, as attribute arguments), and a test checks that the two agree.
/// </summary>
public static class HandoffRoutes
{
    public const string Organisations = "api/organisations";
    public const string Notices = "api/notices";
    public const string Releases = "api/releases";
    public const string Cases = "api/cases";
    public const string Case = "api/cases/{id}";
    public const string Command = "api/cases/{id}/commands/{commandId}";
    public const string Acknowledgement = "api/cases/{id}/acknowledgement";
    public const string Release = "api/cases/{id}/release";
    public const string Report = "api/cases/{id}/report";
    public const string Agreement = "api/cases/{id}/agreement";
    public const string Postponement = "api/cases/{id}/postponement";
    public const string Cancellation = "api/cases/{id}/cancellation";
    public const string Found = "api/cases/{id}/found";
    public const string Escalations = "api/escalations";
    public const string EscalationRead = "api/escalations/{id}/acknowledgement";
    public const string Health = "healthz";

    public static readonly HandoffRoute ListOrganisations = new(nameof(ListOrganisations), "GET", Organisations, false, "Directory",
        "The directory; webhook addresses only of the caller's own organisation.", DirectoryEndpoints.OrganisationsAsync, Response: typeof(List<DirectoryEndpoints.OrganisationView>));

    public static readonly HandoffRoute ListNotices = new(nameof(ListNotices), "GET", Notices, false, "Directory",
        "The caller's inbox, newest first.", DirectoryEndpoints.NoticesAsync, Response: typeof(List<Notice>));

    public static readonly HandoffRoute RegisterRelease = new(nameof(RegisterRelease), "POST", Releases, false, "Cases",
        "A centre registers an upcoming release (creates the case).", CasesEndpoints.RegisterAsync, typeof(RegisterReleaseRequest), typeof(CaseView), StatusCodes.Status201Created);

    public static readonly HandoffRoute ListCases = new(nameof(ListCases), "GET", Cases, false, "Cases",
        "Cases the caller may see, open ones first; supervisors: every case under their region prefix. Paged.", CasesEndpoints.ListAsync, Response: typeof(Page<CaseSummary>));

    public static readonly HandoffRoute GetCase = new(nameof(GetCase), "GET", Case, false, "Cases",
        "The case: state, deadlines, escalations and its full history (一人一档).", CasesEndpoints.GetAsync, Response: typeof(CaseView));

    public static readonly HandoffRoute GetCommand = new(nameof(GetCommand), "GET", Command, false, "Cases",
        "What became of a command answered 202: the case once applied, the problem if the workflow refused it.", CasesEndpoints.CommandAsync, Response: typeof(CaseView));

    public static readonly HandoffRoute AcknowledgeNotice = Step(nameof(AcknowledgeNotice), Acknowledgement, "The receiving office acknowledges the release notice.", CasesEndpoints.AcknowledgeAsync, null);

    public static readonly HandoffRoute RecordRelease = Step(nameof(RecordRelease), Release, "The centre records the release and who collected the person.", CasesEndpoints.ReleaseAsync, typeof(RecordReleaseRequest));

    public static readonly HandoffRoute RecordReport = Step(nameof(RecordReport), Report, "The office records that the person reported (戒毒条例 38).", CasesEndpoints.ReportAsync, typeof(RecordReportRequest));

    public static readonly HandoffRoute RecordAgreement = Step(nameof(RecordAgreement), Agreement, "The office records the signed agreement (戒毒条例 16).", CasesEndpoints.AgreementAsync, typeof(RecordAgreementRequest));

    public static readonly HandoffRoute PostponeRelease = Step(nameof(PostponeRelease), Postponement, "The centre moves the release date (at most one year past the first, 禁毒法 47).", CasesEndpoints.PostponeAsync, typeof(PostponeRequest));

    public static readonly HandoffRoute CancelRelease = Step(nameof(CancelRelease), Cancellation, "The centre withdraws a release that has not happened.", CasesEndpoints.CancelAsync, typeof(CancelRequest));

    public static readonly HandoffRoute RecordPersonFound = Step(nameof(RecordPersonFound), Found, "Police or the office record that a person not collected was found.", CasesEndpoints.FoundAsync, typeof(PersonFoundRequest));

    public static readonly HandoffRoute ListEscalations = new(nameof(ListEscalations), "GET", Escalations, false, "Escalations",
        "Escalations sent to the caller; for a supervisor, every escalation under its region prefix. Paged by case.", EscalationsEndpoints.ListAsync, Response: typeof(Page<EscalationsEndpoints.EscalationView>));

    public static readonly HandoffRoute MarkEscalationRead = new(nameof(MarkEscalationRead), "POST", EscalationRead, false, "Escalations",
        "A recipient marks an escalation notice read.", EscalationsEndpoints.AcknowledgeAsync, Response: typeof(CaseView));

    public static readonly HandoffRoute GetHealth = new(nameof(GetHealth), "GET", Health, true, "Health",
        "Storage reachable, the workflow clock, the reconciler.", HealthEndpoint.GetAsync);

    public static IReadOnlyList<HandoffRoute> All { get; } =
    [
        ListOrganisations, ListNotices, RegisterRelease, ListCases, GetCase, GetCommand, AcknowledgeNotice, RecordRelease, RecordReport,
        RecordAgreement, PostponeRelease, CancelRelease, RecordPersonFound, ListEscalations, MarkEscalationRead, GetHealth,
    ];

    private static HandoffRoute Step(string name, string route, string summary, Func<HandoffRequest, Task<IResult>> handler, Type? body) =>
        new(name, "POST", route, false, "Cases", summary, handler, body, typeof(CaseView));
}
