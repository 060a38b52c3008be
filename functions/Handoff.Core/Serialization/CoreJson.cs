using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Handoff.Core.Serialization;

/// <summary>The one JSON shape for cases, events and notices: camelCase names, enums as strings, Chinese text unescaped.</summary>
public static class CoreJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>Options with the same conventions, for hosts that add their own settings.</summary>
    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        Configure(options);
        return options;
    }

    /// <summary>Adds the conventions to existing options (e.g. ASP.NET Core's).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }
}
