using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Handoff.Development;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package (no download outside our package sources).</summary>
internal static class BicepCli
{
    /// <summary>The repository root: the first directory above the test binaries that holds infra/main.bicep.</summary>
    public static readonly string Root = FindRoot(AppContext.BaseDirectory);

    public static string InfraDirectory => Path.Combine(Root, "infra");

    public static Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <param name="environment">Variables for the bicep process (a .bicepparam can read them with readEnvironmentVariable()).</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Executable()) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    private static string FindRoot(string from)
    {
        for (var directory = new DirectoryInfo(from); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "infra", "main.bicep")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No infra/main.bicep above {from}");
    }

    private static string Executable()
    {
        var package = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPackage").Value!;
        var bicep = Path.Combine(package, "tools", "bicep");
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(bicep).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        return bicep;
    }
}

/// <summary>
/// What <c>bicep snapshot</c> predicts a deployment of infra/main.bicep would create, offline: every resource of every module with
/// parameters, variables, conditions, names and <c>fail()</c> checks evaluated for a fixed subscription and resource group; only what
/// needs the live resources stays an expression (<c>reference(...)</c>, <c>environment()</c>). It runs on a copy of infra/, so no
/// snapshot file lands in the working tree.
/// </summary>
internal sealed partial class BicepSnapshot
{
    public const string SubscriptionId = "00000000-0000-0000-0000-000000000000";
    public const string ResourceGroup = "handoff-gd";

    private BicepSnapshot(JsonObject snapshot)
    {
        Resources = snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Outputs = snapshot["outputs"]?.AsObject() ?? new JsonObject();
    }

    public IReadOnlyList<JsonObject> Resources { get; }

    public JsonObject Outputs { get; }

    /// <summary>The site's app settings, name to value (values that need the live resources are ARM expressions).</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        Single("Microsoft.Web/sites")["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!, StringComparer.Ordinal);

    /// <summary>
    /// Snapshots the China sample (infra/main.bicepparam), with <paramref name="overrides"/> (parameter name to a Bicep literal,
    /// e.g. <c>'Handoff'</c> or <c>false</c>) in place of its values or added to them, and <paramref name="environment"/> for what it
    /// reads from the environment (<c>HANDOFF_PACKAGE_URI</c> is empty and <c>HANDOFF_CHANNELS</c> <c>[]</c> unless given).
    /// </summary>
    public static async Task<(int ExitCode, string Output, BicepSnapshot? Snapshot)> TryTakeAsync(
        IReadOnlyDictionary<string, string>? overrides = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var copy = Directory.CreateTempSubdirectory("handoff-infra-");
        try
        {
            CopyDirectory(BicepCli.InfraDirectory, copy.FullName);
            var parameters = Path.Combine(copy.FullName, "main.bicepparam");
            await File.WriteAllTextAsync(parameters, Override(await File.ReadAllTextAsync(parameters), overrides ?? new Dictionary<string, string>()));
            var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
            variables.TryAdd("HANDOFF_PACKAGE_URI", string.Empty);
            variables.TryAdd("HANDOFF_CHANNELS", "[]");
            var (exitCode, output) = await BicepCli.RunAsync(
                copy.FullName, variables, "snapshot", "main.bicepparam", "--mode", "overwrite", "--subscription-id", SubscriptionId, "--resource-group", ResourceGroup);
            var file = Path.Combine(copy.FullName, "main.snapshot.json");
            return (exitCode, output, exitCode == 0 && File.Exists(file) ? new BicepSnapshot(JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject()) : null);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    public static async Task<BicepSnapshot> TakeAsync(
        IReadOnlyDictionary<string, string>? overrides = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exitCode, output, snapshot) = await TryTakeAsync(overrides, environment);
        Assert.True(exitCode == 0 && snapshot is not null, output);
        return snapshot!;
    }

    public IEnumerable<JsonObject> OfType(string type) => Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>The resource ID the snapshot gives a resource of <paramref name="type"/> (there must be one).</summary>
    public string Id(string type) => (string)Single(type)["id"]!;

    /// <summary>True when <paramref name="expression"/> is <c>reference('&lt;id&gt;', …).&lt;path&gt;</c>: read from that live resource.</summary>
    public static bool IsReference(string expression, string resourceId, string path) =>
        ReferencePattern().Match(expression) is { Success: true } m
        && string.Equals(m.Groups["id"].Value, resourceId, StringComparison.OrdinalIgnoreCase)
        && m.Groups["path"].Value == path;

    private static string Override(string bicepparam, IReadOnlyDictionary<string, string> overrides)
    {
        var pending = new Dictionary<string, string>(overrides, StringComparer.Ordinal);
        var lines = bicepparam.Split('\n').Select(line =>
        {
            var match = ParamLinePattern().Match(line);
            if (match.Success && pending.Remove(match.Groups["name"].Value, out var value))
            {
                return $"param {match.Groups["name"].Value} = {value}";
            }

            return line;
        }).ToList();
        lines.AddRange(pending.Select(p => $"param {p.Key} = {p.Value}"));
        return string.Join('\n', lines) + "\n";
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }

    [GeneratedRegex(@"^param\s+(?<name>\w+)\s*=")]
    private static partial Regex ParamLinePattern();

    [GeneratedRegex(@"^\[reference\('(?<id>[^']+)'(?:,\s*'[^']*')?\)\.(?<path>[\w.]+)\]$")]
    private static partial Regex ReferencePattern();
}
