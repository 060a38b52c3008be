using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>
/// One HTTP operation: the same name, method, route and handler in both hosts, and everything it can answer, so that the OpenAPI
/// document (generated from the self-host's mapping of these records) describes the Function App too.
/// </summary>
/// <param name="Route">Without a leading slash, as an Azure Functions <c>HttpTrigger</c> route (host.json sets <c>routePrefix</c> to "").</param>
/// <param name="Body">The request body's type, for the OpenAPI document.</param>
/// <param name="Response">The success response's type, for the OpenAPI document.</param>
/// <param name="SuccessStatus">The success response's status: 201 for a registration, 200 otherwise.</param>
public sealed record HandoffRoute(
    string Name,
    string Method,
    string Route,
    bool Anonymous,
    string Tag,
    string Summary,
    Func<HandoffRequest, Task<IResult>> Handler,
    Type? Body = null,
    Type? Response = null,
    int SuccessStatus = StatusCodes.Status200OK)
{
    /// <summary>Longer prose for the document, beside the one-line <see cref="Summary"/>.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the body may be left out: every field in it is optional.</summary>
    public bool BodyOptional { get; init; }

    /// <summary>
    /// Whether it can answer <c>202 Accepted</c> with a <see cref="PendingCommand"/> and the command's URL in <c>Location</c>: a
    /// command its orchestration did not apply within <see cref="ApiOptions.CommandWait"/>, or a command still pending.
    /// </summary>
    public bool CanAnswerAccepted { get; init; }

    /// <summary>Whether it takes an <c>Idempotency-Key</c> header (<see cref="CaseCommands.IdempotencyHeader"/>).</summary>
    public bool Idempotent { get; init; }

    /// <summary>
    /// The problem statuses the handler itself can answer. 401 (every route that is not anonymous) and 500 (every route, from
    /// <see cref="HandoffHttp.RunAsync"/>) are added by <see cref="Answers"/>.
    /// </summary>
    public IReadOnlyList<int> Problems { get; init; } = [];

    /// <summary>Other answers that are not problems (the health check's 503).</summary>
    public IReadOnlyList<RouteAnswer> OtherAnswers { get; init; } = [];

    /// <summary>The query parameters it reads.</summary>
    public IReadOnlyList<QueryParameter> Query { get; init; } = [];

    /// <summary>Every answer, success first, each status once.</summary>
    public IReadOnlyList<RouteAnswer> Answers
    {
        get
        {
            var answers = new List<RouteAnswer>();
            if (Response is not null)
            {
                answers.Add(new RouteAnswer(SuccessStatus, Response));
            }

            if (CanAnswerAccepted)
            {
                answers.Add(new RouteAnswer(StatusCodes.Status202Accepted, typeof(PendingCommand)));
            }

            answers.AddRange(OtherAnswers);
            var problems = Problems.Concat(Anonymous ? [] : [StatusCodes.Status401Unauthorized]).Append(StatusCodes.Status500InternalServerError);
            answers.AddRange(problems.Distinct().Order().Select(status => new RouteAnswer(status, typeof(ApiProblem))));
            return answers;
        }
    }
}
