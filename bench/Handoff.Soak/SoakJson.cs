using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Handoff.Soak;

/// <summary>Request bodies as the API reads them: camelCase, Chinese unescaped.</summary>
public static class SoakJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
}
