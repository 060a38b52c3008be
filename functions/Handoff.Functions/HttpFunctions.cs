using Handoff.Api.Endpoints;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Handoff.Functions;

/// <summary>
/// One HTTP function per <see cref="HandoffRoutes.All"/> entry: function name = the route's name, method and route = the route's (the
/// host's route prefix is empty, so <c>api/cases/{id}</c> is served at <c>/api/cases/{id}</c> as in the self-host). Each one hands
/// the request to <see cref="HandoffHttp.RunAsync"/>, which authenticates, runs the handler and maps errors exactly as the self-host
/// does. A test checks these against <see cref="HandoffRoutes.All"/>.
/// <para>All are <see cref="AuthorizationLevel.Anonymous"/> for the Functions host: the host's function keys are not used. Callers
/// are authenticated by our own API keys or Entra ID tokens, checked in <see cref="HandoffHttp.RunAsync"/> for every route that is
/// not anonymous by its own definition (only <c>healthz</c> and <c>openapi/v1.json</c> are).</para>
/// </summary>
public static class HttpFunctions
{
    [Function(nameof(HandoffRoutes.ListOrganisations))]
    public static Task<IResult> ListOrganisations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoffRoutes.Organisations)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.ListOrganisations);

    [Function(nameof(HandoffRoutes.ListNotices))]
    public static Task<IResult> ListNotices(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoffRoutes.Notices)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.ListNotices);

    [Function(nameof(HandoffRoutes.RegisterRelease))]
    public static Task<IResult> RegisterRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.Releases)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.RegisterRelease);

    [Function(nameof(HandoffRoutes.ListCases))]
    public static Task<IResult> ListCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoffRoutes.Cases)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.ListCases);

    [Function(nameof(HandoffRoutes.GetCase))]
    public static Task<IResult> GetCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoffRoutes.Case)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.GetCase);

    [Function(nameof(HandoffRoutes.GetCommand))]
    public static Task<IResult> GetCommand(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoffRoutes.Command)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.GetCommand);

    [Function(nameof(ReleaseSteps.AcknowledgeNotice))]
    public static Task<IResult> AcknowledgeNotice(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.Acknowledgement)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, ReleaseSteps.AcknowledgeNotice);

    [Function(nameof(ReleaseSteps.RecordRelease))]
    public static Task<IResult> RecordRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.Release)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, ReleaseSteps.RecordRelease);

    [Function(nameof(ReleaseSteps.RecordReport))]
    public static Task<IResult> RecordReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.Report)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, ReleaseSteps.RecordReport);

    [Function(nameof(ReleaseSteps.RecordAgreement))]
    public static Task<IResult> RecordAgreement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.Agreement)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, ReleaseSteps.RecordAgreement);

    [Function(nameof(ReleaseSteps.PostponeRelease))]
    public static Task<IResult> PostponeRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.Postponement)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, ReleaseSteps.PostponeRelease);

    [Function(nameof(ReleaseSteps.CancelRelease))]
    public static Task<IResult> CancelRelease(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.Cancellation)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, ReleaseSteps.CancelRelease);

    [Function(nameof(ReleaseSteps.RecordPersonFound))]
    public static Task<IResult> RecordPersonFound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.Found)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, ReleaseSteps.RecordPersonFound);

    [Function(nameof(HandoffRoutes.ListEscalations))]
    public static Task<IResult> ListEscalations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoffRoutes.Escalations)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.ListEscalations);

    [Function(nameof(HandoffRoutes.MarkEscalationRead))]
    public static Task<IResult> MarkEscalationRead(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = HandoffRoutes.EscalationRead)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.MarkEscalationRead);

    [Function(nameof(HandoffRoutes.GetHealth))]
    public static Task<IResult> GetHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoffRoutes.Health)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.GetHealth);

    [Function(nameof(ChainSteps.RecordDecision))]
    public static Task<IResult> RecordDecision(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ChainSteps.Decisions)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, ChainSteps.RecordDecision);

    [Function(nameof(CommunitySteps.RecordCommunityOrder))]
    public static Task<IResult> RecordCommunityOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CommunitySteps.Orders)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, CommunitySteps.RecordCommunityOrder);

    /// <summary>
    /// Every step on a case before the release and in the community period (<see cref="ChainSteps.Steps"/>, <c>api/cases/{id}/steps/{step}</c>) through one function: the route's
    /// last segment picks the step, which is then run exactly as the self-host runs its own mapping of it. An unknown step is 404.
    /// </summary>
    [Function(CaseStepFunction)]
    public static Task<IResult> CaseStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ChainSteps.StepRoute)] HttpRequest req, [DurableClient] DurableTaskClient client, string step) =>
        ChainSteps.Named(step) is { } route
            ? HandoffHttp.RunAsync(req.HttpContext, client, route)
            : Task.FromResult<IResult>(Problems.NotFound("step"));

    /// <summary>The name of the one function serving every <see cref="ChainSteps.Steps"/> route.</summary>
    public const string CaseStepFunction = "CaseStep";

    /// <summary>The committed OpenAPI document, the same file the self-host serves: the worker generates none of its own.</summary>
    [Function(nameof(HandoffRoutes.GetOpenApiDocument))]
    public static Task<IResult> GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HandoffRoutes.OpenApiDocument)] HttpRequest req, [DurableClient] DurableTaskClient client) =>
        HandoffHttp.RunAsync(req.HttpContext, client, HandoffRoutes.GetOpenApiDocument);
}
