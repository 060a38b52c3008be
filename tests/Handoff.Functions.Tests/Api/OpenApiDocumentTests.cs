using System.Text.Json.Nodes;
using Handoff.Api.Endpoints;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// The OpenAPI document as integrators fetch it (<c>/openapi/v1.json</c>) is a contract: every answer a route can give, with its
/// schema; errors as problems with a code; the security schemes; enums, formats and required fields as the handlers treat them.
/// </summary>
[Collection(ApiCollection.Name)]
public class OpenApiDocumentTests(ApiFixture api) : ApiTestBase(api)
{
    private const string Problem = "application/problem+json";

    private static readonly HandoffRoute[] Commands =
    [
        ReleaseSteps.AcknowledgeNotice, ReleaseSteps.RecordRelease, ReleaseSteps.RecordReport, ReleaseSteps.RecordAgreement,
        ReleaseSteps.PostponeRelease, ReleaseSteps.CancelRelease, ReleaseSteps.RecordPersonFound, HandoffRoutes.MarkEscalationRead,
    ];

    [Fact]
    public async Task Document_EveryRoute_DocumentsItsSuccessResponseWithASchema_AndItsOperationId()
    {
        var document = await DocumentAsync();

        foreach (var route in HandoffRoutes.All)
        {
            var operation = Operation(document, route);
            Assert.Equal(route.Name, (string?)operation["operationId"]);
            var success = operation["responses"]?[route.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            Assert.True(success?["content"]?["application/json"]?["schema"] is JsonObject { Count: > 0 }, $"{route.Name}: no {route.SuccessStatus} with a schema");
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), route.Name);
        }

        var register = Responses(document, HandoffRoutes.RegisterRelease);
        Assert.Equal("#/components/schemas/CaseView", Ref(register["201"]!, "application/json"));
        Assert.Null(register["200"]);
        Assert.NotNull(register["201"]!["headers"]?["Location"]);
    }

    [Fact]
    public async Task Document_Commands_Document200WithTheCase_202WithPendingCommandAndLocation_AndTheirProblems()
    {
        var document = await DocumentAsync();

        foreach (var route in Commands.Append(HandoffRoutes.RegisterRelease))
        {
            var responses = Responses(document, route);
            var accepted = responses["202"];
            Assert.True(accepted is not null, $"{route.Name}: no 202");
            Assert.Equal("#/components/schemas/PendingCommand", Ref(accepted, "application/json"));
            Assert.Equal("string", (string?)accepted["headers"]?["Location"]?["schema"]?["type"]);

            // A registration has no case to find yet; a command's case may be invisible (404). A command on a case whose orchestration
            // is being restored waits in the inbox (202): no 503 any more.
            string[] problems = route == HandoffRoutes.RegisterRelease ? ["400", "401", "403", "409", "413", "415", "500"] : ["400", "401", "403", "404", "409", "500"];
            foreach (var status in problems)
            {
                Assert.True(responses[status] is not null, $"{route.Name}: no {status}");
                Assert.Equal("#/components/schemas/ProblemDetails", Ref(responses[status]!, Problem));
            }

            Assert.True(responses["503"] is null, $"{route.Name}: still documents 503");
        }

        foreach (var route in Commands)
        {
            Assert.Equal("#/components/schemas/CaseView", Ref(Responses(document, route)["200"]!, "application/json"));
            var key = Parameters(document, route).SingleOrDefault(p => (string?)p["name"] == "Idempotency-Key");
            Assert.True(key is not null && (string?)key["in"] == "header", $"{route.Name}: Idempotency-Key not documented");
        }

        var command = Responses(document, HandoffRoutes.GetCommand);
        Assert.Equal("#/components/schemas/CaseView", Ref(command["200"]!, "application/json"));
        Assert.Equal("#/components/schemas/PendingCommand", Ref(command["202"]!, "application/json"));
        foreach (var status in new[] { "400", "401", "403", "404", "409" })
        {
            Assert.Equal("#/components/schemas/ProblemDetails", Ref(command[status]!, Problem));
        }

        var pending = Schema(document, "PendingCommand");
        Assert.Equal(["caseId", "commandId", "status"], Required(pending));
        Assert.Equal(["pending"], pending["properties"]!["status"]!["enum"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public async Task Document_EveryErrorResponse_IsAProblemWithARequiredCode_AndReadsAndListsDocumentTheirErrors()
    {
        var document = await DocumentAsync();

        foreach (var route in HandoffRoutes.All)
        {
            var responses = Responses(document, route);
            foreach (var (status, response) in responses)
            {
                if (status[0] is '4' or '5' && route != HandoffRoutes.GetHealth)
                {
                    Assert.True(Ref(response!, Problem) == "#/components/schemas/ProblemDetails", $"{route.Name} {status} is not a problem");
                }
            }

            if (!route.Anonymous)
            {
                Assert.True(responses["401"] is not null, $"{route.Name}: no 401");
            }
        }

        Assert.NotNull(Responses(document, HandoffRoutes.GetCase)["404"]);
        foreach (var list in new[] { HandoffRoutes.ListCases, HandoffRoutes.ListEscalations, HandoffRoutes.ListNotices })
        {
            Assert.NotNull(Responses(document, list)["400"]);
        }

        var problem = Schema(document, "ProblemDetails");
        Assert.Contains("code", Required(problem));
        Assert.Contains("status", Required(problem));
        foreach (var property in new[] { "type", "title", "status", "detail", "code", "field", "rule" })
        {
            Assert.True(problem["properties"]?[property] is not null, $"ProblemDetails.{property}");
        }
    }

    [Fact]
    public async Task Document_Security_ApiKeyOrEntraBearerOnEveryOperation_ButHealthAndTheDocument()
    {
        var document = await DocumentAsync();

        var schemes = document["components"]!["securitySchemes"]!;
        var apiKey = schemes.AsObject().Single(s => (string?)s.Value!["type"] == "apiKey").Value!;
        Assert.Equal("header", (string?)apiKey["in"]);
        Assert.Equal("X-Api-Key", (string?)apiKey["name"]);
        var bearer = schemes.AsObject().Single(s => (string?)s.Value!["type"] == "http").Value!;
        Assert.Equal("bearer", (string?)bearer["scheme"]);
        Assert.Equal("JWT", (string?)bearer["bearerFormat"]);

        foreach (var route in HandoffRoutes.All)
        {
            var security = Operation(document, route)["security"]?.AsArray();
            Assert.True(security is not null, $"{route.Name}: no security stated");
            if (route.Anonymous)
            {
                Assert.Empty(security);
            }
            else
            {
                // Either credential: two alternatives, one scheme each.
                Assert.Equal(2, security.Count);
                Assert.All(security, s => Assert.Single(s!.AsObject()));
            }
        }

        Assert.Equal(["healthz", "openapi/v1.json"], HandoffRoutes.All.Where(r => r.Anonymous).Select(r => r.Route).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Document_RequestBodies_RequireExactlyWhatTheHandlersRequire()
    {
        var document = await DocumentAsync();

        Assert.Equal(["decisionAuthorityId", "person", "policeStationId", "receivingOfficeId", "rehabilitationYears", "releaseDate", "releaseType"],
            Required(Schema(document, nameof(RegisterReleaseRequest))));
        Assert.Equal(["idNumber", "name", "registeredRegion"], Required(Schema(document, nameof(PersonRequest))));
        Assert.Equal(["collectedBy"], Required(Schema(document, nameof(RecordReleaseRequest))));
        Assert.Equal(["kind"], Required(Schema(document, nameof(CollectedByRequest))));
        Assert.Equal(["newReleaseDate"], Required(Schema(document, nameof(PostponeRequest))));
        foreach (var optional in new[] { nameof(RecordReportRequest), nameof(RecordAgreementRequest), nameof(CancelRequest), nameof(PersonFoundRequest) })
        {
            Assert.Empty(Required(Schema(document, optional)));
        }

        // A required field is not nullable; the handlers answer a null one as missing. An optional one may be null.
        var register = Schema(document, nameof(RegisterReleaseRequest))["properties"]!;
        Assert.Equal("string", TypeOf(register["releaseDate"]!));
        Assert.Equal("integer", TypeOf(register["rehabilitationYears"]!));
        Assert.Equal("#/components/schemas/PersonRequest", (string?)register["person"]!["$ref"]);
        Assert.Equal("null,string", TypeOf(Schema(document, nameof(PersonRequest))["properties"]!["residenceRegion"]!));
        Assert.Equal(0, (int)register["rehabilitationYears"]!["minimum"]!);
        Assert.Equal(3, (int)register["rehabilitationYears"]!["maximum"]!);

        // Bodies of commands whose every field is optional may be left out; the others are required.
        Assert.True((bool?)Operation(document, HandoffRoutes.RegisterRelease)["requestBody"]!["required"] == true);
        Assert.True((bool?)Operation(document, ReleaseSteps.RecordRelease)["requestBody"]!["required"] == true);
        Assert.True((bool?)Operation(document, ReleaseSteps.PostponeRelease)["requestBody"]!["required"] == true);
        Assert.True((bool?)Operation(document, ReleaseSteps.RecordReport)["requestBody"]!["required"] is null or false);
        Assert.Null(Operation(document, ReleaseSteps.AcknowledgeNotice)["requestBody"]);
    }

    [Fact]
    public async Task Document_Enums_AreStringsWithTheirValues_WhereverTheApiTakesOrGivesOne()
    {
        var document = await DocumentAsync();

        Assert.Equal(["expiry", "early"], EnumValues(document, Schema(document, nameof(RegisterReleaseRequest))["properties"]!["releaseType"]!));
        Assert.Equal(["family", "police", "office", "none"], EnumValues(document, Schema(document, nameof(CollectedByRequest))["properties"]!["kind"]!));
        var states = new[] { "scheduled", "acknowledged", "released", "reported", "agreementSigned", "lostContact", "cancelled", "completed", "decided", "inCentre", "transferring", "ordered", "suspended", "ended" };
        Assert.Equal(states, EnumValues(document, Schema(document, "CaseView")["properties"]!["state"]!));
        Assert.Equal(states, EnumValues(document, Schema(document, "CaseSummary")["properties"]!["state"]!));
        Assert.Equal(states, EnumValues(document, Schema(document, "EscalationView")["properties"]!["caseState"]!));
        Assert.Equal(["open", "resolved"], EnumValues(document, Schema(document, "Escalation")["properties"]!["status"]!));
        Assert.Equal(["centre", "communityOffice", "policeStation", "decisionAuthority", "supervisor"],
            EnumValues(document, Schema(document, "OrganisationView")["properties"]!["kind"]!));

        // Every enum in the document: a string, its values all strings (no null smuggled in from a nullable use).
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            if (schema!["enum"] is JsonArray values)
            {
                Assert.True(TypeOf(schema) == "string", $"{name} has no type: string");
                Assert.All(values, v => Assert.True(v is JsonValue value && value.TryGetValue<string>(out _), $"{name}: {v?.ToJsonString() ?? "null"}"));
            }
        }
    }

    [Fact]
    public async Task Document_DatesAndInstantsAndNumbers_HaveTheirTypesAndFormats()
    {
        var document = await DocumentAsync();

        Assert.Equal(("string", "date"), TypeAndFormat(Schema(document, nameof(RegisterReleaseRequest))["properties"]!["releaseDate"]!));
        Assert.Equal(("string", "date"), TypeAndFormat(Schema(document, nameof(PostponeRequest))["properties"]!["newReleaseDate"]!));
        Assert.Equal(("string", "date"), TypeAndFormat(Schema(document, "Deadline")["properties"]!["lastDay"]!));
        Assert.Equal(("null,string", "date-time"), TypeAndFormat(Schema(document, nameof(RecordReleaseRequest))["properties"]!["releasedAt"]!));
        Assert.Equal(("string", "date-time"), TypeAndFormat(Schema(document, "CaseView")["properties"]!["registeredAt"]!));
        Assert.Equal(("boolean", null), TypeAndFormat(Schema(document, "CaseSummary")["properties"]!["overdue"]!));
        Assert.Equal(("integer", "int32"), TypeAndFormat(Schema(document, "CaseView")["properties"]!["rehabilitationYears"]!));

        // No property of any schema is left without a type (or a reference, or a composition).
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            foreach (var (property, value) in schema!["properties"]?.AsObject() ?? [])
            {
                var described = value!["type"] is not null || value["$ref"] is not null || value["allOf"] is not null || value["oneOf"] is not null || value["anyOf"] is not null;
                Assert.True(described, $"{name}.{property} has no type");
                if ((string?)value["format"] is "date" or "date-time")
                {
                    Assert.True(TypeOf(value) is "string" or "null,string", $"{name}.{property}: a {value["format"]} that is not a string");
                }
            }
        }
    }

    [Fact]
    public async Task Document_QueryParameters_AreTyped()
    {
        var document = await DocumentAsync();

        var cases = Parameters(document, HandoffRoutes.ListCases).ToDictionary(p => (string)p["name"]!);
        Assert.All(cases.Values, p => Assert.Equal("query", (string?)p["in"]));
        Assert.Equal("integer", (string?)cases["take"]["schema"]!["type"]);
        Assert.Equal(1, (int)cases["take"]["schema"]!["minimum"]!);
        Assert.Equal(200, (int)cases["take"]["schema"]!["maximum"]!);
        Assert.Equal(50, (int)cases["take"]["schema"]!["default"]!);
        Assert.Equal("string", (string?)cases["continuationToken"]["schema"]!["type"]);
        Assert.Equal("boolean", (string?)cases["overdue"]["schema"]!["type"]);
        Assert.Contains("lostContact", EnumValues(document, cases["state"]["schema"]!));

        var escalations = Parameters(document, HandoffRoutes.ListEscalations).ToDictionary(p => (string)p["name"]!);
        Assert.Equal(["open", "resolved"], EnumValues(document, escalations["status"]["schema"]!));
        Assert.Equal(200, (int)escalations["take"]["schema"]!["maximum"]!);
        Assert.Equal("string", (string?)escalations["continuationToken"]["schema"]!["type"]);

        var notices = Parameters(document, HandoffRoutes.ListNotices).ToDictionary(p => (string)p["name"]!);
        Assert.Equal(500, (int)notices["take"]["schema"]!["maximum"]!);

        // Path parameters: every {name} in a route is a required path parameter.
        foreach (var route in HandoffRoutes.All)
        {
            foreach (var name in System.Text.RegularExpressions.Regex.Matches(route.Route, @"\{(\w+)\}").Select(m => m.Groups[1].Value))
            {
                var parameter = Parameters(document, route).SingleOrDefault(p => (string?)p["name"] == name && (string?)p["in"] == "path");
                Assert.True(parameter is not null && (bool?)parameter["required"] == true, $"{route.Name}: {{{name}}} not documented");
            }
        }
    }

    [Fact]
    public async Task Document_Info_HasTitleDescriptionVersion_AndEveryTagIsDescribed()
    {
        var document = await DocumentAsync();

        Assert.Equal("Handoff API", (string?)document["info"]!["title"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)document["info"]!["description"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)document["info"]!["version"]));
        var tags = document["tags"]!.AsArray().ToDictionary(t => (string)t!["name"]!, t => (string?)t!["description"]);
        foreach (var tag in HandoffRoutes.All.Select(r => r.Tag).Distinct())
        {
            Assert.True(tags.TryGetValue(tag, out var description) && !string.IsNullOrWhiteSpace(description), $"tag {tag} is not described");
        }
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await Api.Client(null).GetStringAsync("/openapi/v1.json"))!;

    private static JsonNode Operation(JsonNode document, HandoffRoute route) =>
        document["paths"]?["/" + route.Route]?[route.Method.ToLowerInvariant()] ?? throw new Xunit.Sdk.XunitException($"{route.Method} /{route.Route} is not in the document");

    private static JsonObject Responses(JsonNode document, HandoffRoute route) => Operation(document, route)["responses"]!.AsObject();

    private static IEnumerable<JsonNode> Parameters(JsonNode document, HandoffRoute route) =>
        (Operation(document, route)["parameters"]?.AsArray() ?? []).Select(p => p!);

    private static JsonNode Schema(JsonNode document, string name) =>
        document["components"]?["schemas"]?[name] ?? throw new Xunit.Sdk.XunitException($"no schema {name}");

    private static string[] Required(JsonNode schema) => (schema["required"]?.AsArray() ?? []).Select(r => (string)r!).Order(StringComparer.Ordinal).ToArray();

    private static string? Ref(JsonNode response, string mediaType) => (string?)response["content"]?[mediaType]?["schema"]?["$ref"];

    /// <summary>A schema's own, or the referenced (possibly through a one-element allOf) schema.</summary>
    private static JsonNode Resolve(JsonNode document, JsonNode schema)
    {
        if ((string?)schema["$ref"] is { } reference)
        {
            return Resolve(document, Schema(document, reference["#/components/schemas/".Length..]));
        }

        return schema["allOf"] is JsonArray { Count: 1 } all ? Resolve(document, all[0]!) : schema;
    }

    private static string[] EnumValues(JsonNode document, JsonNode schema)
    {
        var resolved = Resolve(document, schema);
        Assert.Equal("string", TypeOf(resolved));
        return resolved["enum"]!.AsArray().Select(v => (string)v!).ToArray();
    }

    private static (string? Type, string? Format) TypeAndFormat(JsonNode schema) => (TypeOf(schema), (string?)schema["format"]);

    /// <summary>The schema's type (OpenAPI 3.1): <c>string</c>, or the sorted list <c>null,string</c> of a nullable one.</summary>
    private static string? TypeOf(JsonNode schema) => schema["type"] switch
    {
        JsonArray types => string.Join(',', types.Select(t => (string)t!).Order(StringComparer.Ordinal)),
        JsonNode type => (string?)type,
        null => null,
    };
}
