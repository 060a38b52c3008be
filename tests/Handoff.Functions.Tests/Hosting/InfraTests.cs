using System.Diagnostics;
using System.Reflection;
using Handoff.Development;
using Handoff.Storage.Infrastructure;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>The Bicep in infra/ builds and lints clean with the CLI from our package sources, and provisions what the app uses.</summary>
public class InfraTests
{
    private static readonly string Root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;

    private static string Bicep()
    {
        var package = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPackage").Value!;
        var bicep = Path.Combine(package, "tools", "bicep");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(bicep).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        return bicep;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Bicep()) { WorkingDirectory = Path.Combine(Root, "infra"), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    [Fact]
    public async Task Bicep_MainTemplate_BuildsLintsAndTakesItsSampleParameters()
    {
        var build = await RunAsync("build", "main.bicep", "--stdout");
        var lint = await RunAsync("lint", "main.bicep");
        var parameters = await RunAsync("build-params", "main.bicepparam", "--stdout");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(lint.ExitCode == 0 && !lint.Output.Contains("Warning", StringComparison.OrdinalIgnoreCase), lint.Output);
        Assert.True(parameters.ExitCode == 0, parameters.Output);
        Assert.Contains("environment().suffixes.storage", await File.ReadAllTextAsync(Path.Combine(Root, "infra", "modules", "functionapp.bicep")));
    }

    [Fact]
    public async Task Bicep_Storage_ProvisionsEveryTableAndQueueTheAppUses_WithSharedKeyOff()
    {
        var storage = await File.ReadAllTextAsync(Path.Combine(Root, "infra", "modules", "storage.bicep"));

        foreach (var name in StorageNames.Tables.Concat(StorageNames.Queues))
        {
            Assert.Contains($"'{name}'", storage);
        }

        Assert.Contains("allowSharedKeyAccess: false", storage);
        Assert.Contains("minimumTlsVersion: 'TLS1_2'", storage);
        Assert.Contains("allowBlobPublicAccess: false", storage);
    }
}
