namespace Handoff.Pages.Infrastructure;

/// <summary>
/// The pages' stylesheet and scripts, from the build output's <c>assets/</c> folder (the Functions worker serves no static files of its
/// own). Only the files listed here are served. Chart.js is the npm lock file's version, copied in and checked by a test.
/// </summary>
public static class PageAssets
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["handoff.css"] = "text/css; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["chart.umd.min.js"] = "text/javascript; charset=utf-8",
    };

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "assets");

    public static Task<IResult> GetAsync(PageRequest p)
    {
        var name = p.Route("name");
        if (!Files.TryGetValue(name, out var type))
        {
            return Task.FromResult(Results.NotFound());
        }

        p.Http.Response.Headers.CacheControl = "public, max-age=3600";
        return Task.FromResult(Results.File(Path.Combine(Folder, name), type));
    }
}
