using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Api.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Handoff.SelfHost;

/// <summary>
/// Schemas as the API's JSON really is (<see cref="ApiJson.Options"/>): enums are strings with their JSON names (the generator
/// leaves out <c>type: string</c>, dotnet/aspnetcore#61303, and lets a nullable use put <c>null</c> among the values); instants are
/// strings (a custom converter hides their type); integers are integers (the web defaults' "numbers as strings" is leniency in
/// reading, not the contract).
/// </summary>
internal sealed class OpenApiSchemaRules : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (schema.OneOf is { Count: > 0 } || schema.AnyOf is { Count: > 0 } || schema.AllOf is { Count: > 0 })
        {
            return Task.CompletedTask; // a nullable use's wrapper around a reference: the referenced schema is transformed itself
        }

        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null || (schema.Type is { } t && t.HasFlag(JsonSchemaType.Null));
        var null_ = nullable ? JsonSchemaType.Null : 0;
        type = underlying ?? type;
        if (type.IsEnum)
        {
            // Enums are components; a nullable use says so beside its reference, never in the values.
            schema.Type = JsonSchemaType.String;
            schema.Enum = EnumValues(type).Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        }
        else if (type == typeof(DateTimeOffset))
        {
            schema.Type = JsonSchemaType.String | null_;
            schema.Format = "date-time";
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            schema.Type = JsonSchemaType.Integer | null_;
            schema.Pattern = null;
        }

        return Task.CompletedTask;
    }

    /// <summary>The names the API writes and reads for an enum's values (camelCase, or the member's <c>JsonStringEnumMemberName</c>).</summary>
    public static IReadOnlyList<string> EnumValues(Type enumType) =>
        Enum.GetValues(enumType).Cast<object>().Select(v => JsonSerializer.Serialize(v, enumType, ApiJson.Options).Trim('"')).ToList();
}
