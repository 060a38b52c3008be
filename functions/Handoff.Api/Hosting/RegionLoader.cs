using System.Text.Json;
using Handoff.Core.Regions;

namespace Handoff.Api.Hosting;

/// <summary>Loads the GB/T 2260 division list (<c>Handoff:RegionFile</c>, default <c>regions/gbt2260.json</c>).</summary>
public static class RegionLoader
{
    public static RegionCatalog Load(string path, ILogger logger)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The region list {path} (Handoff:RegionFile) does not exist.", path);
        }

        try
        {
            var file = JsonSerializer.Deserialize<RegionFile>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                ?? throw new InvalidDataException("empty");
            var catalog = new RegionCatalog(file.Regions ?? throw new InvalidDataException("no \"regions\""), file.AsOf ?? "unknown");
            HostLog.RegionsLoaded(logger, catalog.Count, catalog.AsOf, path);
            return catalog;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"{path} (Handoff:RegionFile): {ex.Message}", ex);
        }
    }

    private sealed record RegionFile(string? AsOf, Dictionary<string, string>? Regions);
}
