using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(AddWireTypes);
    }

    /// <summary>The commands and events that carry a <see cref="WireNameAttribute"/>, by base type.</summary>
    private static readonly Dictionary<Type, List<JsonDerivedType>> WireTypes = typeof(CoreJson).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttributes(typeof(WireNameAttribute), false).Length > 0)
        .SelectMany(t => new[] { typeof(Cases.CaseCommand), typeof(Cases.CaseEvent) }.Where(b => b.IsAssignableFrom(t))
            .Select(b => (Base: b, Derived: new JsonDerivedType(t, ((WireNameAttribute)t.GetCustomAttributes(typeof(WireNameAttribute), false)[0]).Name))))
        .GroupBy(x => x.Base)
        .ToDictionary(g => g.Key, g => g.Select(x => x.Derived).OrderBy(d => (string)d.TypeDiscriminator!, StringComparer.Ordinal).ToList());

    private static void AddWireTypes(JsonTypeInfo info)
    {
        if (info.PolymorphismOptions is { } polymorphism && WireTypes.TryGetValue(info.Type, out var derived))
        {
            // Options configured twice (a host's options built from ours) run the modifier twice: each type is added once.
            foreach (var type in derived.Where(d => polymorphism.DerivedTypes.All(x => x.DerivedType != d.DerivedType)))
            {
                polymorphism.DerivedTypes.Add(type);
            }
        }
    }
}
