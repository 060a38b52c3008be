using System.Diagnostics;
using System.IO.Compression;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// One run of infra/deploy.sh against a fake <c>az</c> and a fake <c>curl</c> on its PATH: each records its arguments (the fake az
/// also the <c>HANDOFF_PACKAGE_URI</c> and <c>HANDOFF_CHANNELS</c> a call saw, and what <c>keyvault secret set</c> read from its
/// <c>--file</c>), and answers as a China deployment would (outputs of main.bicep with chinacloudapi.cn endpoints, a healthy /healthz,
/// telemetry already in the workspace). Nothing reaches Azure.
/// </summary>
internal sealed class DeployScriptRun : IDisposable
{
    public const string Container = "https://handoffgdsjctf3jv.blob.core.chinacloudapi.cn/deployments";
    public const string SiteId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/handoff-gd/providers/Microsoft.Web/sites/handoffgd-sjctf3jv";
    public const string Host = "handoffgd-sjctf3jv.chinacloudsites.cn";

    private const string FakeAz = """
        #!/usr/bin/env bash
        set -u
        printf '%s HANDOFF_PACKAGE_URI=%s; HANDOFF_CHANNELS=%s;\n' "$*" "${HANDOFF_PACKAGE_URI-unset}" "${HANDOFF_CHANNELS-unset}" >> "$FAKE_LOG"
        case "$1 $2 $3" in
          "account show "*) echo 00000000-0000-0000-0000-000000000000 ;;
          "cloud show "*) echo AzureChinaCloud ;;
          "deployment group show")
            if [ -n "${FAKE_PREVIOUS_PACKAGE:-}" ]; then
              printf '{ "packageUri": { "type": "String", "value": "%s" }, "channels": { "type": "Array", "value": %s } }\n' "$FAKE_PREVIOUS_PACKAGE" "$FAKE_PREVIOUS_CHANNELS"
            else echo "ERROR: DeploymentNotFound" >&2; exit 3; fi ;;
          "deployment group create")
            printf '%s\n' "${HANDOFF_CHANNELS-unset}" >> "$FAKE_CHANNELS_LOG"
            cat <<JSON
        {
          "storageAccountName": { "type": "String", "value": "handoffgdsjctf3jv" },
          "packageContainerUri": { "type": "String", "value": "$FAKE_CONTAINER" },
          "functionAppName": { "type": "String", "value": "handoffgd-sjctf3jv" },
          "functionAppId": { "type": "String", "value": "$FAKE_SITE_ID" },
          "functionAppHost": { "type": "String", "value": "$FAKE_HOST" },
          "logAnalyticsWorkspaceId": { "type": "String", "value": "22222222-2222-2222-2222-222222222222" },
          "keyVaultName": { "type": "String", "value": "handoffgd-kv-sjctf3jv" },
          "packageUri": { "type": "String", "value": "${HANDOFF_PACKAGE_URI:-}" },
          "channels": { "type": "Array", "value": ${HANDOFF_CHANNELS:-[]} },
          "keyVaultSecrets": { "type": "Array", "value": $FAKE_REQUIRED_SECRETS }
        }
        JSON
            ;;
          "storage blob exists") echo "$FAKE_BLOB_EXISTS" ;;
          "keyvault secret list")
            case "$*" in *"length("*) echo "$FAKE_SECRETS" ;; *) cat "$FAKE_VAULT_NAMES" ;; esac ;;
          "keyvault secret set")
            name=""; file=""; previous=""
            for arg in "$@"; do
              case "$previous" in -n|--name) name="$arg" ;; -f|--file) file="$arg" ;; esac
              previous="$arg"
            done
            value="$(cat "$file"; printf .)"
            printf '%s\t%s\n' "$name" "${value%.}" >> "$FAKE_VAULT"
            jq -c --arg name "$name" '. + [$name]' "$FAKE_VAULT_NAMES" > "$FAKE_VAULT_NAMES.new" && mv "$FAKE_VAULT_NAMES.new" "$FAKE_VAULT_NAMES"
            ;;
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
        var channels = Path.Combine(directory.FullName, "channels.log");
        DeployedChannels = File.Exists(channels) ? File.ReadAllLines(channels).ToList() : new List<string>();
        var vault = Path.Combine(directory.FullName, "vault.log");
        SecretsSet = File.Exists(vault)
            ? File.ReadAllLines(vault).Select(l => l.Split('\t', 2)).Select(p => (p[0], p[1])).ToList()
            : new List<(string, string)>();
    }

    public int ExitCode { get; }

    public string Output { get; }

    /// <summary>Each az call: its arguments, then <c>HANDOFF_PACKAGE_URI=&lt;value&gt;;</c> as the call saw it.</summary>
    public List<string> Calls { get; }

    public List<string> CurlCalls { get; }

    /// <summary>The <c>HANDOFF_CHANNELS</c> each <c>deployment group create</c> saw, in order.</summary>
    public List<string> DeployedChannels { get; }

    /// <summary>Each <c>az keyvault secret set</c>: the secret's name and the value az read from its <c>--file</c>.</summary>
    public List<(string Name, string Value)> SecretsSet { get; }

    /// <param name="previousPackage">What the last deployment's packageUri output says the app runs, or null for a first deployment.</param>
    /// <param name="blobExists">Whether functionapp-test1234.zip is already in the deployments container.</param>
    /// <param name="parametersFile">A parameters file in the run's directory instead of infra/main.bicepparam: <c>no-package.bicepparam</c>
    /// is the sample without its <c>HANDOFF_PACKAGE_URI</c> line.</param>
    /// <param name="keySet">Whether the vault already holds the id-number-key secret.</param>
    /// <param name="channelsFile">The text of a file for HANDOFF_CHANNELS_FILE, or null for none.</param>
    /// <param name="smtpPassword">The text of a file for HANDOFF_SMTP_PASSWORD_FILE, or null for none.</param>
    /// <param name="previousChannels">The last deployment's channels output (JSON), when there was one (<paramref name="previousPackage"/>).</param>
    /// <param name="requiredSecrets">The keyVaultSecrets output every deployment answers (JSON).</param>
    /// <param name="vaultSecrets">The names of the secrets already in the vault (JSON).</param>
    public static async Task<DeployScriptRun> StartAsync(
        string? previousPackage, bool blobExists, string? parametersFile = null, bool keySet = true, string? channelsFile = null, string? smtpPassword = null,
        string previousChannels = "[]", string requiredSecrets = "[\"id-number-key\"]", string vaultSecrets = "[\"id-number-key\"]")
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
        start.Environment["FAKE_CHANNELS_LOG"] = Path.Combine(directory.FullName, "channels.log");
        start.Environment["FAKE_VAULT"] = Path.Combine(directory.FullName, "vault.log");
        start.Environment["FAKE_VAULT_NAMES"] = Path.Combine(directory.FullName, "vault-names.json");
        start.Environment["FAKE_PREVIOUS_CHANNELS"] = previousChannels;
        start.Environment["FAKE_REQUIRED_SECRETS"] = requiredSecrets;
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "vault-names.json"), vaultSecrets);
        start.Environment.Remove("HANDOFF_PACKAGE_URI");
        start.Environment.Remove("HANDOFF_CHANNELS");
        start.Environment.Remove("HANDOFF_CHANNELS_FILE");
        start.Environment.Remove("HANDOFF_SMTP_PASSWORD_FILE");
        if (channelsFile is not null)
        {
            var file = Path.Combine(directory.FullName, "channels.json");
            await File.WriteAllTextAsync(file, channelsFile);
            start.Environment["HANDOFF_CHANNELS_FILE"] = file;
        }

        if (smtpPassword is not null)
        {
            var file = Path.Combine(directory.FullName, "smtp-password");
            await File.WriteAllTextAsync(file, smtpPassword);
            start.Environment["HANDOFF_SMTP_PASSWORD_FILE"] = file;
        }

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
