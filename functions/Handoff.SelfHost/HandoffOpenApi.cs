using System.Globalization;
using Handoff.Api.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Handoff.SelfHost;

/// <summary>
/// The OpenAPI document, generated from the self-host's endpoint metadata (the <see cref="HandoffRoutes"/> records) and committed
/// as <c>functions/Handoff.Api/openapi/v1.json</c>, which both hosts serve. OpenAPI 3.1: a nullable reference is
/// <c>oneOf: [{type: null}, {$ref}]</c>, which NSwag 14 reads and Redocly accepts (3.0's <c>nullable</c> beside a <c>$ref</c> is
/// neither valid nor read the same by every tool). A test regenerates it and compares; <c>HANDOFF_WRITE_OPENAPI=1</c> rewrites the file.
/// </summary>
public static class HandoffOpenApi
{
    public const string DocumentName = "v1";

    public const OpenApiSpecVersion Version = OpenApiSpecVersion.OpenApi3_1;

    public static IServiceCollection AddHandoffOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.OpenApiVersion = Version;
            o.CreateSchemaReferenceId = type => type.Type == typeof(ApiProblem) ? "ProblemDetails" : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            o.AddSchemaTransformer<OpenApiSchemaRules>();
            o.AddOperationTransformer<OpenApiOperationRules>();
            o.AddDocumentTransformer<OpenApiDocumentRules>();
        });

    /// <summary>The document as the self-host generates it now, as JSON text (what the committed file must hold).</summary>
    public static async Task<string> GenerateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName).GetOpenApiDocumentAsync(cancellationToken);
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        document.SerializeAs(Version, new OpenApiJsonWriter(text));
        return text.ToString().ReplaceLineEndings("\n") + "\n";
    }
}
