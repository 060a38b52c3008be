using System.Diagnostics;
using System.IO.Compression;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// One run of infra/deploy.sh against a fake <c>az</c> and a fake <c>curl</c> on its PATH: each records its arguments (the fake az
/// also the <c>HANDOFF_PACKAGE_URI</c> a deployment saw), and answers as a China deployment would (outputs of main.bicep with
/// chinacloudapi.cn endpoints, a healthy /healthz, telemetry already in the workspace). Nothing reaches Azure.
/// </summary>
internal sealed class DeployScriptRun : IDisposable
{
    public const string Container = "https://handoffgdsjctf3jv.blob.core.chinacloudapi.cn/deployments";
    public const string SiteId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/handoff-gd/providers/Microsoft.Web/sites/handoffgd-sjctf3jv";
    public const string Host = "handoffgd-sjctf3jv.chinacloudsites.cn";

    private const string FakeAz = """
        #!/usr/bin/env bash
        set -u
        printf '%s HANDOFF_PACKAGE_URI=%s;\n' "$*" "${HANDOFF_PACKAGE_URI-unset}" >> "$FAKE_LOG"
        case "$1 $2 $3" in
          "account show "*) echo 00000000-0000-0000-0000-000000000000 ;;
          "cloud show "*) echo AzureChinaCloud ;;
          "deployment group show")
            if [ -n "${FAKE_PREVIOUS_PACKAGE:-}" ]; then echo "$FAKE_PREVIOUS_PACKAGE"; else echo "ERROR: DeploymentNotFound" >&2; exit 3; fi ;;
          "deployment group create")
            cat <<JSON
        {
          "storageAccountName": { "type": "String", "value": "handoffgdsjctf3jv" },
          "packageContainerUri": { "type": "String", "value": "$FAKE_CONTAINER" },
          "functionAppName": { "type": "String", "value": "handoffgd-sjctf3jv" },
          "functionAppId": { "type": "String", "value": "$FAKE_SITE_ID" },
          "functionAppHost": { "type": "String", "value": "$FAKE_HOST" },
          "logAnalyticsWorkspaceId": { "type": "String", "value": "22222222-2222-2222-2222-222222222222" },
          "keyVaultName": { "type": "String", "value": "handoffgd-kv-sjctf3jv" },
          "packageUri": { "type": "String", "value": "${HANDOFF_PACKAGE_URI:-}" }
        }
        JSON
            ;;
          "storage blob exists") echo "$FAKE_BLOB_EXISTS" ;;
          "keyvault secret list") echo "$FAKE_SECRETS" ;;
          "monitor log-analytics query") echo 7 ;;
          *) ;;
        esac
        """;

    private const string FakeCurl = """
        #!/usr/bin/env bash
        for last in "$@"; do :; done
        echo "$last" >> "$FAKE_CURL_LOG"
        printf 200
        """;

    private readonly DirectoryInfo _directory;

    private DeployScriptRun(DirectoryInfo directory, int exitCode, string output)
    {
        _directory = directory;
        ExitCode = exitCode;
        Output = output;
        var log = Path.Combine(directory.FullName, "az.log");
        Calls = File.Exists(log) ? File.ReadAllLines(log).ToList() : new List<string>();
        var curl = Path.Combine(directory.FullName, "curl.log");
        CurlCalls = File.Exists(curl) ? File.ReadAllLines(curl).ToList() : new List<string>();
    }

    public int ExitCode { get; }

    public string Output { get; }

    /// <summary>Each az call: its arguments, then <c>HANDOFF_PACKAGE_URI=&lt;value&gt;;</c> as the call saw it.</summary>
    public List<string> Calls { get; }

    public List<string> CurlCalls { get; }

    /// <param name="previousPackage">What the last deployment's packageUri output says the app runs, or null for a first deployment.</param>
    /// <param name="blobExists">Whether functionapp-test1234.zip is already in the deployments container.</param>
    /// <param name="parametersFile">A parameters file in the run's directory instead of infra/main.bicepparam: <c>no-package.bicepparam</c>
    /// is the sample without its <c>HANDOFF_PACKAGE_URI</c> line.</param>
    /// <param name="keySet">Whether the vault already holds the id-number-key secret.</param>
    public static async Task<DeployScriptRun> StartAsync(string? previousPackage, bool blobExists, string? parametersFile = null, bool keySet = true)
    {
        var directory = Directory.CreateTempSubdirectory("handoff-deploy-");
        var bin = Directory.CreateDirectory(Path.Combine(directory.FullName, "bin"));
        await WriteExecutableAsync(Path.Combine(bin.FullName, "az"), FakeAz);
        await WriteExecutableAsync(Path.Combine(bin.FullName, "curl"), FakeCurl);

        var package = Path.Combine(directory.FullName, "functionapp.zip");
        using (var zip = ZipFile.Open(package, ZipArchiveMode.Create))
        {
            zip.CreateEntry("host.json");
        }

        var parameters = Path.Combine(BicepCli.InfraDirectory, "main.bicepparam");
        if (parametersFile == "no-package.bicepparam")
        {
            parameters = Path.Combine(directory.FullName, parametersFile);
            var sample = await File.ReadAllLinesAsync(Path.Combine(BicepCli.InfraDirectory, "main.bicepparam"));
            await File.WriteAllLinesAsync(parameters, sample.Where(l => !l.Contains("HANDOFF_PACKAGE_URI", StringComparison.Ordinal)));
        }

        var start = new ProcessStartInfo("bash") { WorkingDirectory = BicepCli.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     Path.Combine(BicepCli.InfraDirectory, "deploy.sh"), "-g", "handoff-gd", "-p", parameters, "--package", package, "--version", "test1234",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PATH"] = $"{bin.FullName}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["FAKE_LOG"] = Path.Combine(directory.FullName, "az.log");
        start.Environment["FAKE_CURL_LOG"] = Path.Combine(directory.FullName, "curl.log");
        start.Environment["FAKE_PREVIOUS_PACKAGE"] = previousPackage ?? string.Empty;
        start.Environment["FAKE_BLOB_EXISTS"] = blobExists ? "true" : "false";
        start.Environment["FAKE_SECRETS"] = keySet ? "1" : "0";
        start.Environment["FAKE_CONTAINER"] = Container;
        start.Environment["FAKE_SITE_ID"] = SiteId;
        start.Environment["FAKE_HOST"] = Host;
        start.Environment["HANDOFF_POLL_SECONDS"] = "0";
        start.Environment.Remove("HANDOFF_PACKAGE_URI");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new DeployScriptRun(directory, process.ExitCode, await output + await errors);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static async Task WriteExecutableAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
