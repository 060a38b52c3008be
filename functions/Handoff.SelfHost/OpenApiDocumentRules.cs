using System.Text.Json.Nodes;
using Handoff.Api.Auth;
using Handoff.Api.Endpoints;
using Handoff.Core.Cases;
using Handoff.Core.Text;
using Handoff.Storage.Index;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Handoff.SelfHost;

/// <summary>
/// The document as a whole: title, description, version, tags, the two security schemes and which operations need them, and the
/// request fields the handlers read as strings or check themselves (required fields, enums, dates, ranges), stated as the handlers
/// in <see cref="CasesEndpoints"/> enforce them.
/// </summary>
internal sealed class OpenApiDocumentRules : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "apiKey";
    public const string BearerScheme = "entraId";

    /// <summary>The request fields each handler refuses when missing; all others may be left out (or null).</summary>
    private static readonly Dictionary<string, string[]> RequiredInRequests = new()
    {
        [nameof(RegisterReleaseRequest)] = ["person", "releaseDate", "releaseType", "rehabilitationYears", "receivingOfficeId", "policeStationId", "decisionAuthorityId"],
        [nameof(PersonRequest)] = ["name", "idNumber", "registeredRegion"],
        [nameof(RecordReleaseRequest)] = ["collectedBy"],
        [nameof(CollectedByRequest)] = ["kind"],
        [nameof(RecordReportRequest)] = [],
        [nameof(RecordAgreementRequest)] = [],
        [nameof(PostponeRequest)] = ["newReleaseDate"],
        [nameof(CancelRequest)] = [],
        [nameof(PersonFoundRequest)] = [],
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Handoff API",
            Version = "1.0.0",
            Description = """
                Handoff makes sure no person is lost when a compulsory drug-rehabilitation centre (强制隔离戒毒所) releases them into
                community rehabilitation (社区康复): the centre registers the release, the receiving community office acknowledges it,
                records the report and the agreement, and every missed step escalates daily to the county, city and province
                narcotics-control office (禁毒办).

                Every call but `/healthz` and `/openapi/v1.json` needs `X-Api-Key` or, where Entra ID is configured, a bearer token.
                Errors are `application/problem+json` with a stable `code`, and `field` and `rule` where a field is at fault. Commands
                take an `Idempotency-Key`, answer the case once its workflow has applied them, or `202 Accepted` with the command's URL
                in `Location`. Instants are ISO 8601 with an offset (answered at +08:00); dates are `yyyy-MM-dd` (Asia/Shanghai).
                Lists are paged: `items` and `continuationToken`.
                """.ReplaceLineEndings("\n"),
        };

        // Relative: the same document is served by the self-host and by the Function App, each at its own address.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host that serves this document." }];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Directory", Description = "The organisations that take part, and each one's inbox of notices." },
            new() { Name = "Cases", Description = "Registering a release, the steps of the handoff, and reading cases (一人一档)." },
            new() { Name = "Chain", Description = "The links before the release: the 强制隔离戒毒 decision, the delivery and intake, the 公安→司法 transfer and reception, escapes and term changes, and the release notice the term makes due." },
            new() { Name = "Community", Description = "The community period: 社区戒毒 orders, tests and interviews, absences and the violations of 戒毒条例 20 reported to the police, a change of the place of execution, suspension, termination, the expiry's 解除 notice, and a new decision in the same file." },
            new() { Name = "Escalations", Description = "Missed steps, climbing daily to the supervisors above (督办)." },
            new() { Name = "Service", Description = "Health check and this document; no credential needed." },
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.Header,
                Description = "The organisation's API key (development: `dev-{organisationId}`).",
            },
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A Microsoft Entra ID access token for the API's audience, whose organisation claim names a directory organisation.",
            },
        };
        document.RegisterComponents();
        Secure(document);
        DescribeRequests(document);
        DescribeResponses(document);
        return Task.CompletedTask;
    }

    /// <summary>Either credential on every operation but the anonymous ones, which state that they need none.</summary>
    private static void Secure(OpenApiDocument document)
    {
        var routes = HandoffRoutes.All.ToDictionary(r => r.Name);
        foreach (var operation in (document.Paths ?? []).SelectMany(p => p.Value.Operations ?? []).Select(o => o.Value))
        {
            var route = routes[operation.OperationId!];
            operation.Security = route.Anonymous
                ? []
                :
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                ];
        }
    }

    private static void DescribeRequests(OpenApiDocument document)
    {
        foreach (var (name, required) in RequiredInRequests)
        {
            var schema = Schema(document, name);
            schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
            foreach (var property in required)
            {
                NotNull(document, schema, property);
            }
        }

        Replace(document, nameof(RegisterReleaseRequest), "releaseType", Reference(document, nameof(ReleaseType)));
        Replace(document, nameof(CollectedByRequest), "kind", Reference(document, nameof(CollectorKind)));
        Date(document, nameof(RegisterReleaseRequest), "releaseDate", "The planned release date, `yyyy-MM-dd`.");
        Date(document, nameof(PostponeRequest), "newReleaseDate", "The new release date, `yyyy-MM-dd`: at most one year past the first (禁毒法 47).");

        var years = Property(document, nameof(RegisterReleaseRequest), "rehabilitationYears");
        years.Minimum = "0";
        years.Maximum = "3";
        years.Description = "Years of community rehabilitation ordered, 0–3 (禁毒法 48); 0: none, the handoff ends at the gate.";
        foreach (var id in new[] { "receivingOfficeId", "policeStationId", "decisionAuthorityId" })
        {
            Property(document, nameof(RegisterReleaseRequest), id).MaxLength = 100;
            Property(document, nameof(RegisterReleaseRequest), id).Description = "A directory organisation's id (`GET /api/organisations`).";
        }

        Describe(document, nameof(PersonRequest), "name", $"At most {TextRules.MaxNameLength} characters.", maxLength: TextRules.MaxNameLength);
        Describe(document, nameof(PersonRequest), "idNumber", "The 18-character resident identity number (GB 11643); stored encrypted, answered only masked.");
        Describe(document, nameof(PersonRequest), "registeredRegion", "Where the person's household is registered (户籍地): a GB/T 2260 code of 6 digits.");
        Describe(document, nameof(PersonRequest), "residenceRegion", "Where the person lives (居住地), a GB/T 2260 code; defaults to `registeredRegion`.");
        Describe(document, nameof(CollectedByRequest), "name", $"Who came, at most {TextRules.MaxNameLength} characters; expected unless `kind` is `none`.", maxLength: TextRules.MaxNameLength);
        const string defaultsToNow = "Defaults to the moment the API receives the request. An ISO 8601 instant with an offset (e.g. `2026-03-06T10:00:00+08:00`).";
        Describe(document, nameof(RecordReleaseRequest), "releasedAt", "When the person left the centre. " + defaultsToNow);
        Describe(document, nameof(RecordReportRequest), "reportedAt", "When the person reported. " + defaultsToNow);
        Describe(document, nameof(RecordAgreementRequest), "signedAt", "When the agreement was signed. " + defaultsToNow);
        Describe(document, nameof(PersonFoundRequest), "foundAt", "When the person was found. " + defaultsToNow);
        Describe(document, nameof(PersonFoundRequest), "note", $"One line, at most {TextRules.MaxNoteLength} characters.", maxLength: TextRules.MaxNoteLength);
        Describe(document, nameof(PostponeRequest), "reason", $"One line, at most {TextRules.MaxNoteLength} characters.", maxLength: TextRules.MaxNoteLength);
        Describe(document, nameof(CancelRequest), "reason", $"One line, at most {TextRules.MaxNoteLength} characters.", maxLength: TextRules.MaxNoteLength);
    }

    private static void DescribeResponses(OpenApiDocument document)
    {
        Replace(document, nameof(CaseSummary), "state", Reference(document, nameof(CaseState)));
        Replace(document, nameof(EscalationsEndpoints.EscalationView), "caseState", Reference(document, nameof(CaseState)));
        Values(document, nameof(PendingCommand), "status", "pending");
        Values(document, nameof(HealthReport), "status", "healthy", "degraded", "unhealthy");
    }

    private static OpenApiSchema Schema(OpenApiDocument document, string name) =>
        (document.Components?.Schemas is { } schemas && schemas.TryGetValue(name, out var schema) ? schema as OpenApiSchema : null) ?? throw new InvalidOperationException($"The document has no schema {name}.");

    private static OpenApiSchema Property(OpenApiDocument document, string schema, string property) =>
        (Schema(document, schema).Properties is { } properties && properties.TryGetValue(property, out var value) ? value as OpenApiSchema : null) ?? throw new InvalidOperationException($"{schema} has no plain property {property}.");

    private static void Replace(OpenApiDocument document, string schema, string property, IOpenApiSchema value)
    {
        var properties = Schema(document, schema).Properties!;
        if (!properties.ContainsKey(property))
        {
            throw new InvalidOperationException($"{schema} has no property {property}.");
        }

        properties[property] = value;
    }

    private static OpenApiSchemaReference Reference(OpenApiDocument document, string name)
    {
        _ = Schema(document, name);
        return new OpenApiSchemaReference(name, document);
    }

    /// <summary>A required field is not nullable: a null is refused like a missing one. A nullable reference becomes a plain one.</summary>
    private static void NotNull(OpenApiDocument document, OpenApiSchema schema, string property)
    {
        var value = schema.Properties![property];
        if (value is OpenApiSchema plain && plain.Type is { } type)
        {
            plain.Type = type & ~JsonSchemaType.Null;
        }
        else if (value is OpenApiSchema composed && (composed.OneOf ?? composed.AllOf ?? composed.AnyOf)?.OfType<OpenApiSchemaReference>().SingleOrDefault() is { } reference)
        {
            schema.Properties[property] = new OpenApiSchemaReference(reference.Reference.Id!, document);
        }
    }

    private static void Date(OpenApiDocument document, string schema, string property, string description)
    {
        var value = Property(document, schema, property);
        value.Type = JsonSchemaType.String | (value.Type & JsonSchemaType.Null);
        value.Format = "date";
        value.Description = description;
    }

    private static void Values(OpenApiDocument document, string schema, string property, params string[] values) =>
        Property(document, schema, property).Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();

    private static void Describe(OpenApiDocument document, string schema, string property, string description, int? maxLength = null)
    {
        var value = Property(document, schema, property);
        value.Description = description;
        value.MaxLength = maxLength ?? value.MaxLength;
    }
}
