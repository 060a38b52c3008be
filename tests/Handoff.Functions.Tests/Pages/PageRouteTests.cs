using System.Text.Json.Nodes;
using Handoff.Pages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Functions.Tests.Pages;

/// <summary>The pages are served by the self-host at the routes the Function App declares, and their assets are what the lock file pins.</summary>
[Collection(ApiCollection.Name)]
public class PageRouteTests(ApiFixture api)
{
    [Fact]
    public void SelfHost_ServesEveryPageRoute_WithItsMethod()
    {
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Route: e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList();

        foreach (var page in PageRoutes.All)
        {
            Assert.Contains(endpoints, e => e.Route == page.Route && e.Methods.Contains(page.Method));
        }
    }

    [Fact]
    public async Task VendoredChartJs_IsTheLockFilesVersion_ByteForByte()
    {
        var root = BrowserFixture.Root;
        var locked = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "package-lock.json")))!["packages"]!["node_modules/chart.js"]!;
        var installed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "node_modules", "chart.js", "package.json")))!;

        Assert.Equal((string?)locked["version"], (string?)installed["version"]);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(root, "node_modules", "chart.js", "dist", "chart.umd.min.js")),
            await File.ReadAllBytesAsync(Path.Combine(root, "functions", "Handoff.Pages", "assets", "chart.umd.min.js")));
        Assert.True(File.Exists(Path.Combine(PageAssets.Folder, "chart.umd.min.js")), "the build output serves it");
    }
}
