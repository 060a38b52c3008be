namespace Handoff.Api.Endpoints;

/// <summary>One answer a route can give: its status and body type (<see cref="ApiProblem"/> for an error).</summary>
public sealed record RouteAnswer(int Status, Type Type)
{
    public const string Json = "application/json";

    public const string ProblemJson = "application/problem+json";

    public string ContentType => Type == typeof(ApiProblem) ? ProblemJson : Json;

    /// <summary>Whether it carries a <c>Location</c> header: the case created (201), the command's URL (202).</summary>
    public bool HasLocation => Status is 201 or 202;
}
