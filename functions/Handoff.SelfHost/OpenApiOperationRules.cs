using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Handoff.Api.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Handoff.SelfHost;

/// <summary>
/// Each operation from its <see cref="HandoffRoute"/> (endpoint metadata): its description, path, query and header parameters, a
/// description for every answer and the <c>Location</c> header of 201 and 202. The handlers read their parameters themselves, so
/// the generator sees none of them.
/// </summary>
internal sealed partial class OpenApiOperationRules : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<HandoffRoute>().SingleOrDefault() is not { } route)
        {
            return Task.CompletedTask;
        }

        operation.Description = route.Description;
        var parameters = operation.Parameters ??= [];
        foreach (var name in PathParameter().Matches(route.Route).Select(m => m.Groups[1].Value))
        {
            parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = PathParameterDescription(route, name),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        foreach (var query in route.Query)
        {
            parameters.Add(new OpenApiParameter
            {
                Name = query.Name,
                In = ParameterLocation.Query,
                Description = query.Description + " An empty value is the same as leaving the parameter out.",
                Schema = QuerySchema(query, context.Document!),
            });
        }

        if (route.Idempotent)
        {
            parameters.Add(new OpenApiParameter
            {
                Name = CaseCommands.IdempotencyHeader,
                In = ParameterLocation.Header,
                Description = "Chosen by the caller, at most 200 characters: a repeat with the same key answers the first outcome and changes "
                    + "nothing; the same key with another body is refused (400 `idempotency-key-reused`). Recommended on every command.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            });
        }

        foreach (var answer in route.Answers)
        {
            if (operation.Responses?.GetValueOrDefault(answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not OpenApiResponse response)
            {
                throw new InvalidOperationException($"{route.Name}: the endpoint does not declare its {answer.Status} answer");
            }

            response.Description = Describe(route, answer);
            if (answer.HasLocation)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Location"] = new OpenApiHeader
                {
                    Description = answer.Status == 201 ? "The case's URL (`/api/cases/{id}`)." : "The command's URL (`/api/cases/{id}/commands/{commandId}`): poll it for the outcome.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }

        return Task.CompletedTask;
    }

    private static IOpenApiSchema QuerySchema(QueryParameter query, OpenApiDocument document)
    {
        if (query.Type.IsEnum)
        {
            return new OpenApiSchemaReference(query.Type.Name, document);
        }

        var schema = new OpenApiSchema
        {
            Type = query.Type == typeof(int) ? JsonSchemaType.Integer : query.Type == typeof(bool) ? JsonSchemaType.Boolean : JsonSchemaType.String,
            Format = query.Type == typeof(int) ? "int32" : null,
            Minimum = query.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = query.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Default = query.Default is { } value ? JsonValue.Create(value) : null,
        };
        return schema;
    }

    private static string PathParameterDescription(HandoffRoute route, string name) => (route.Route, name) switch
    {
        (_, "commandId") => "The command's id, from the `Location` of its 202.",
        (HandoffRoutes.EscalationRead, _) => "The escalation's id (`{caseId}-E{n}`).",
        _ => "The case's id (`HO-` and 12 characters), as registration answered it.",
    };

    private static string Describe(HandoffRoute route, RouteAnswer answer) => answer.Status switch
    {
        200 when route == HandoffRoutes.GetHealth => "The service is healthy or degraded.",
        200 when route.CanAnswerAccepted => "The case, with the command applied.",
        200 => "OK.",
        201 => "The case, registered.",
        202 => "Accepted, not yet applied by the case's workflow: poll the `Location` for the outcome.",
        400 => "The request breaks a rule: `field` names the field, `rule` the rule (codes such as `required`, `invalid-date`, `out-of-range`, `idempotency-key-reused`).",
        401 => "No valid credential (`unauthenticated`): send `X-Api-Key`, or an Entra ID bearer token where configured.",
        403 => "The caller may see the case but may not do this (`forbidden`).",
        404 when route == HandoffRoutes.GetOpenApiDocument => "The document is missing from this deployment (`not-found`).",
        404 => "No such case (escalation, command), or not visible to this organisation (`not-found`): existence is confidential (戒毒条例 7).",
        409 => "Not possible in the case's state, or done differently already (codes such as `case-closed`, `open-case-exists`).",
        413 => "The body is larger than 64 KB (`body-too-large`).",
        415 => "The body is not `application/json` (`unsupported-media-type`).",
        500 => "An unexpected error (`internal-error`): a command may or may not have been accepted; retry with the same `Idempotency-Key`.",
        503 when route == HandoffRoutes.GetHealth => "Storage cannot be reached: `status` is `unhealthy`.",
        503 => "The case's workflow is being restored; nothing was recorded (`case-unavailable`). Retry shortly with the same `Idempotency-Key`.",
        _ => "Error.",
    };

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameter();
}
