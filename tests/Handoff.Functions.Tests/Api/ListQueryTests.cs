using System.Net;
using System.Text.RegularExpressions;
using Handoff.Development;

namespace Handoff.Functions.Tests.Api;

/// <summary>List queries as people send them: an empty value is the parameter left out, and the README's examples answer as written.</summary>
[Collection(ApiCollection.Name)]
public partial class ListQueryTests(ApiFixture api) : ApiTestBase(api)
{
    private static readonly string Root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;

    [Theory]
    [InlineData("/api/cases?state=&overdue=true&take=&continuationToken=")]
    [InlineData("/api/cases?state=&overdue=&take=")]
    [InlineData("/api/escalations?status=&take=&continuationToken=")]
    [InlineData("/api/notices?take=")]
    public async Task List_EmptyQueryValues_AreTheSameAsLeavingThemOut(string path)
    {
        var (status, body) = await GetAsync("guangdong-nco", path);

        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
    }

    [Fact]
    public async Task ReadmeApiTable_EveryListExample_IsSendableAsWritten()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Root, "README.md"));
        var examples = ApiTableGet().Matches(readme).Select(m => m.Groups[1].Value).Where(p => !p.Contains('{', StringComparison.Ordinal)).ToList();

        Assert.Contains(examples, e => e.StartsWith("/api/cases?", StringComparison.Ordinal));
        foreach (var example in examples)
        {
            // A placeholder left empty (state=&) documents nothing: the table shows a value, the text the choices.
            Assert.DoesNotMatch("=(&|$)", example);
            var (status, body) = await GetAsync("guangdong-nco", example);
            Assert.True(status == HttpStatusCode.OK, $"README example {example}: {status} {body}");
        }
    }

    [GeneratedRegex(@"^\| `GET (/api/[^`]*)`", RegexOptions.Multiline)]
    private static partial Regex ApiTableGet();
}
