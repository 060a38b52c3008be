using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Core.Serialization;
using Handoff.Core.Time;

namespace Handoff.Api.Endpoints;

/// <summary>
/// The API's JSON: the core's conventions, plus every instant written in Beijing time (+08:00, what the people who read it live in)
/// and every instant read only with an explicit offset (a duty officer's "10:00" without one would otherwise be read as UTC,
/// eight hours wrong). Request bodies are also checked for duplicate keys before they are read (<see cref="DuplicateKey"/>).
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(CoreJson.Create());

    /// <summary>Adds the API's conventions to existing options (e.g. ASP.NET Core's).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        CoreJson.Configure(options);
        options.Converters.Add(new BeijingInstantConverter());
        return options;
    }

    /// <summary>The path (<c>person.name</c>) of the first key that occurs twice in one object, or null. Last-wins would hide a value.</summary>
    public static string? DuplicateKey(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var objects = new Stack<(HashSet<string> Keys, string Path)>();
        var property = "";
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    objects.Push((new HashSet<string>(StringComparer.OrdinalIgnoreCase), property)); // names match case-insensitively
                    break;
                case JsonTokenType.EndObject:
                    objects.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var (keys, at) = objects.Peek();
                    var name = reader.GetString()!;
                    property = at.Length == 0 ? name : $"{at}.{name}";
                    if (!keys.Add(name))
                    {
                        return property;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Writes instants at +08:00; reads only ISO 8601 instants that carry an offset (<c>Z</c> or <c>±hh:mm</c>).</summary>
    private sealed class BeijingInstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
            {
                throw new JsonException("not an ISO 8601 instant");
            }

            var text = reader.GetString()!;
            var hasOffset = text.EndsWith('Z') || text.EndsWith('z')
                || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
            return hasOffset
                ? value
                : throw new JsonRuleException("offset-required", "must carry a UTC offset, e.g. 2026-03-06T10:00:00+08:00 (Beijing time)");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToOffset(ChinaTime.Offset));
    }
}

/// <summary>A JSON value of the right type that breaks a rule of ours: the problem names the field, this code and rule.</summary>
public sealed class JsonRuleException(string code, string rule) : JsonException(rule)
{
    public string Code { get; } = code;

    public string Rule { get; } = rule;
}
