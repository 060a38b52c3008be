using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Storage.Index;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Handoff.Api.Endpoints;

/// <summary>
/// Every HTTP operation, once, with everything it answers. The self-host maps each entry (and its answers, as endpoint metadata
/// that the committed OpenAPI document is generated from); the Function App declares one HTTP function per entry with the same
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
    public const string OpenApiDocument = "openapi/v1.json";

    /// <summary>What a command with a JSON body can answer besides the case: the body's problems and the workflow's refusals (500 too: every route).</summary>
    private static readonly int[] CommandProblems = [Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType];

    /// <summary>The same, for a command without a body.</summary>
    private static readonly int[] BodylessCommandProblems = [Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict];

    private static readonly QueryParameter Take = new("take", typeof(int), $"How many items at most (1–{Paging.MaxTake}, default {Paging.DefaultTake}).")
    {
        Minimum = 1, Maximum = Paging.MaxTake, Default = Paging.DefaultTake,
    };

    private static readonly QueryParameter ContinuationToken = new("continuationToken", typeof(string),
        "The token of the previous page (its `continuationToken`), to read the next one; leave it out for the first page.");

    public static readonly HandoffRoute ListOrganisations = new(nameof(ListOrganisations), "GET", Organisations, false, "Directory",
        "The directory; webhook addresses only of the caller's own organisation.", DirectoryEndpoints.OrganisationsAsync, Response: typeof(List<DirectoryEndpoints.OrganisationView>));

    public static readonly HandoffRoute ListNotices = new(nameof(ListNotices), "GET", Notices, false, "Directory",
        "The caller's inbox, newest first.", DirectoryEndpoints.NoticesAsync, Response: typeof(List<Notice>))
    {
        Problems = [Status400BadRequest],
        Query = [new QueryParameter("take", typeof(int), "How many notices at most (1–500, default 50).") { Minimum = 1, Maximum = 500, Default = 50 }],
    };

    public static readonly HandoffRoute RegisterRelease = new(nameof(RegisterRelease), "POST", Releases, false, "Cases",
        "A centre registers an upcoming release (creates the case).", CasesEndpoints.RegisterAsync, typeof(RegisterReleaseRequest), typeof(CaseView), Status201Created)
    {
        Description = "Answers 201 with the case and its URL once the case's orchestration has applied the registration, or 202 with the "
            + "command's URL if it has not within the command wait. A person who already has an open case: 409 `open-case-exists`, "
            + "without naming that case (戒毒条例 7) — unless the case is the registering centre's own: then 409 `own-open-case` naming it, and no supervisor is told. With an `Idempotency-Key`, a repeat answers the same case and changes nothing.",
        CanAnswerAccepted = true,
        Idempotent = true,
        Problems = [Status400BadRequest, Status403Forbidden, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType],
    };

    public static readonly HandoffRoute ListCases = new(nameof(ListCases), "GET", Cases, false, "Cases",
        "Cases the caller may see, open ones first; supervisors: every case under their region prefix. Paged.", CasesEndpoints.ListAsync, Response: typeof(Page<CaseSummary>))
    {
        Problems = [Status400BadRequest],
        Query =
        [
            new QueryParameter("state", typeof(CaseState), "Only cases in this state."),
            new QueryParameter("overdue", typeof(bool), "`true`: only cases with an open escalation or a missed step not yet done; `false`: only the others."),
            Take,
            ContinuationToken,
        ],
    };

    public static readonly HandoffRoute GetCase = new(nameof(GetCase), "GET", Case, false, "Cases",
        "The case: state, deadlines, escalations and its full history (一人一档).", CasesEndpoints.GetAsync, Response: typeof(CaseView))
    {
        Description = "A case another organisation may not see answers 404, not 403: its existence is confidential (戒毒条例 7).",
        Problems = [Status404NotFound],
    };

    public static readonly HandoffRoute GetCommand = new(nameof(GetCommand), "GET", Command, false, "Cases",
        "What became of a command answered 202: the case once applied, the problem if the workflow refused it.", CasesEndpoints.CommandAsync, Response: typeof(CaseView))
    {
        Description = "The URL in the `Location` of a 202. Answers 202 while the command waits in its case's inbox, 200 with the case once "
            + "it is applied (for a registration too), or the workflow's refusal as a problem (400, 403, 404, 409; 500 `internal-error` for a "
            + "command that can never be applied). An id the API never issued, or one of a case the caller may not see, is 404. Kept until "
            + "30 days after the case closed.",
        CanAnswerAccepted = true,
        Problems = [Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict],
    };

    public static readonly HandoffRoute ListEscalations = new(nameof(ListEscalations), "GET", Escalations, false, "Escalations",
        "Escalations sent to the caller; for a supervisor, every escalation under its region prefix. Paged by case.", EscalationsEndpoints.ListAsync, Response: typeof(Page<EscalationsEndpoints.EscalationView>))
    {
        Problems = [Status400BadRequest],
        Query = [new QueryParameter("status", typeof(EscalationStatus), "Only escalations with this status."), Take, ContinuationToken],
    };

    public static readonly HandoffRoute MarkEscalationRead = Step(nameof(MarkEscalationRead), EscalationRead, "A recipient marks an escalation notice read.", EscalationsEndpoints.AcknowledgeAsync, null, true) with
    {
        Tag = "Escalations",
    };

    public static readonly HandoffRoute GetHealth = new(nameof(GetHealth), "GET", Health, true, "Service",
        "Storage reachable, the workflow clock, the reconciler.", HealthEndpoint.GetAsync, Response: typeof(HealthReport))
    {
        Description = "Without an operator's key only `status`; with one (`X-Api-Key`) also the workflow clock, the task hub, queue depths, "
            + "poisoned deliveries and the reconciler's counts. 503 when storage cannot be reached.",
        OtherAnswers = [new RouteAnswer(Status503ServiceUnavailable, typeof(HealthReport))],
    };

    public static readonly HandoffRoute GetOpenApiDocument = new(nameof(GetOpenApiDocument), "GET", OpenApiDocument, true, "Service",
        "This document (OpenAPI 3.1), the same from the self-host and the Function App.", OpenApiEndpoint.GetAsync, Response: typeof(System.Text.Json.Nodes.JsonObject))
    {
        Problems = [Status404NotFound],
    };

    /// <summary>Every route. Built on first use: the steps are declared in <see cref="ChainSteps"/>, whose own initialisation reads this class.</summary>
    public static IReadOnlyList<HandoffRoute> All => AllRoutes.Value;

    private static readonly Lazy<IReadOnlyList<HandoffRoute>> AllRoutes = new(() => (IReadOnlyList<HandoffRoute>)(HandoffRoute[])
    [
        ListOrganisations, ListNotices, RegisterRelease, ListCases, GetCase, GetCommand, .. ReleaseSteps.Steps, ListEscalations, MarkEscalationRead,
        GetHealth, GetOpenApiDocument, ChainSteps.RecordDecision, CommunitySteps.RecordCommunityOrder, .. ChainSteps.Steps,
    ]);

    /// <summary>A command on a case (<see cref="Step"/>), for the steps declared with their mappings (<see cref="CaseSteps"/>).</summary>
    internal static HandoffRoute CaseStep(string name, string route, string summary, Func<HandoffRequest, Task<IResult>> handler, Type? body, bool bodyOptional) =>
        Step(name, route, summary, handler, body, bodyOptional);

    /// <summary>A command on a case: the case (200) once applied, 202 while pending; idempotent by key.</summary>
    private static HandoffRoute Step(string name, string route, string summary, Func<HandoffRequest, Task<IResult>> handler, Type? body, bool bodyOptional) =>
        new(name, "POST", route, false, "Cases", summary, handler, body, typeof(CaseView))
        {
            Description = "The command is written into the case's inbox before anything else, so it is never lost, and counts at the instant "
                + "it was received. Answers 200 with the case once its orchestration has applied the command (or when it is already in "
                + "effect), the refusal as a problem (500 `internal-error` for a command that can never be applied), or 202 with the "
                + "command's URL if it was not applied within the command wait. With an `Idempotency-Key`, a repeat answers the case, "
                + "changes nothing and keeps the instant the first attempt was received; the same key with another body is a 400.",
            BodyOptional = bodyOptional,
            CanAnswerAccepted = true,
            Idempotent = true,
            Problems = body is null ? BodylessCommandProblems : CommandProblems,
        };
}
