using Handoff.SelfHost;
using Handoff.Development;

namespace Handoff.Functions.Tests.Contract;

/// <summary>
/// One document for both hosts: the committed <c>functions/Handoff.Api/openapi/v1.json</c> is exactly what the self-host generates
/// from its endpoint metadata, and it is what the self-host serves. Regenerate it with
/// <c>HANDOFF_WRITE_OPENAPI=1 dotnet test tests/Handoff.Functions.Tests --filter FullyQualifiedName~OpenApiFileTests</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public class OpenApiFileTests(ApiFixture api)
{
    private static readonly string Root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;

    public static string CommittedPath { get; } = Path.Combine(Root, "functions", "Handoff.Api", "openapi", "v1.json");

    [Fact]
    public async Task CommittedDocument_EqualsTheDocumentTheSelfHostGenerates()
    {
        var generated = await HandoffOpenApi.GenerateAsync(api.Services);
        if (Environment.GetEnvironmentVariable("HANDOFF_WRITE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, generated);
        }

        var committed = File.Exists(CommittedPath) ? (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n") : "";
        if (committed != generated)
        {
            Assert.Fail($"{CommittedPath} is not what the self-host generates:\n{Diff(committed, generated)}\n"
                + "If the change is intended, regenerate it and commit the file: "
                + "HANDOFF_WRITE_OPENAPI=1 dotnet test tests/Handoff.Functions.Tests --filter FullyQualifiedName~OpenApiFileTests");
        }
    }

    [Fact]
    public async Task SelfHost_ServesTheCommittedDocument()
    {
        var response = await api.Client(null).GetAsync("/openapi/v1.json");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(CommittedPath), await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The first differing lines, with a little context: enough to see what changed without a diff tool.</summary>
    private static string Diff(string committed, string generated)
    {
        var a = committed.Split('\n');
        var b = generated.Split('\n');
        var first = 0;
        while (first < a.Length && first < b.Length && a[first] == b[first])
        {
            first++;
        }

        var lines = new List<string> { $"first difference at line {first + 1} (committed {a.Length} lines, generated {b.Length}):" };
        for (var i = Math.Max(0, first - 3); i < Math.Min(Math.Max(a.Length, b.Length), first + 12); i++)
        {
            var left = i < a.Length ? a[i] : "";
            var right = i < b.Length ? b[i] : "";
            lines.Add(left == right ? $"  {left}" : $"- {left}\n+ {right}");
        }

        return string.Join('\n', lines);
    }
}
