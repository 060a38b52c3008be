namespace Handoff.Api.Endpoints;

/// <summary>
/// The body of every error answer (<c>application/problem+json</c>, RFC 9457), as the OpenAPI document describes it: what
/// <see cref="Problems.Problem"/> writes. Named <c>ProblemDetails</c> in the document.
/// </summary>
/// <param name="Title">The status in words.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What went wrong, for a person; with a field, the field and the rule.</param>
/// <param name="Code">Stable, for programs: <c>not-found</c>, <c>required</c>, <c>invalid-date</c>, <c>case-closed</c>, <c>open-case-exists</c>…</param>
/// <param name="Type">A URI for the status (RFC 9110), where the framework knows one.</param>
/// <param name="Field">The field at fault (<c>person.idNumber</c>, <c>Idempotency-Key</c>), where there is one.</param>
/// <param name="Rule">The rule the field breaks, where there is a field.</param>
public sealed record ApiProblem(string Title, int Status, string Detail, string Code, string? Type = null, string? Field = null, string? Rule = null);
