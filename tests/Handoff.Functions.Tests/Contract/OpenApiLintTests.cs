using System.Diagnostics;
using Handoff.Development;

namespace Handoff.Functions.Tests.Contract;

/// <summary>The committed OpenAPI document passes Redocly's <c>recommended</c> ruleset (the CLI from package-lock.json).</summary>
public class OpenApiLintTests
{
    private static readonly string Root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;

    [Fact]
    public async Task Redocly_RecommendedRuleset_ReportsNoErrorsAndNoWarnings()
    {
        var cli = Path.Combine(Root, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"{cli} is missing: run `npm ci` in {Root}");

        var start = new ProcessStartInfo("node") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "lint", "functions/Handoff.Api/openapi/v1.json", "--extends", "recommended", "--format", "stylish" })
        {
            start.ArgumentList.Add(arg);
        }

        // No telemetry, no update check: CI reaches no network but the package registries.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await errors;

        Assert.True(process.ExitCode == 0, text);
        Assert.DoesNotMatch(@"\b[1-9]\d* (error|warning)s?\b", text);
    }
}
