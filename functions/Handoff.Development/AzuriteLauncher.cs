using System.Diagnostics;

namespace Handoff.Development;

/// <summary>
/// Starts Azurite (from the repository's node_modules, installing it with <c>npm ci</c> from the lock file when missing) on
/// loopback ports and stops it by killing the process: Azurite ignores SIGTERM and SIGINT.
/// </summary>
public sealed partial class AzuriteLauncher : IAsyncDisposable
{
    private readonly Process _process;

    private AzuriteLauncher(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public int ProcessId => _process.Id;

    /// <summary>The well-known development account, at the ports this instance listens on.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;"
        + $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>Finds the repository root: the nearest folder above <paramref name="start"/> with package.json and Handoff.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "Handoff.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>Starts Azurite and waits until it reports the ports its three services listen on.</summary>
    /// <param name="root">The repository root (holds package.json and its lock file).</param>
    /// <param name="dataFolder">Where Azurite keeps its data; null keeps it in memory.</param>
    /// <param name="ports">Fixed ports (blob, queue, table), or null for free ones chosen by the operating system.</param>
    public static async Task<AzuriteLauncher> StartAsync(
        string root, string? dataFolder, (int Blob, int Queue, int Table)? ports = null, Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            // Several test projects may start at once on a fresh clone: one installs, the others wait for it.
            await using var installLock = await LockAsync(Path.Combine(root, ".azurite-install.lock"), cancellationToken).ConfigureAwait(false);
            if (!File.Exists(script))
            {
                log?.Invoke("Azurite is not installed yet: running `npm ci` from the lock file (about 30 s, once).");
                await InstallAsync(root, cancellationToken).ConfigureAwait(false);
            }
        }

        // Port 0 lets the operating system choose free ports; Azurite prints the ones it bound, so no other process can race us.
        return await LaunchAsync(script, root, dataFolder, ports ?? (0, 0, 0), log, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<AzuriteLauncher> LaunchAsync(
        string script, string root, string? dataFolder, (int Blob, int Queue, int Table) ports, Action<string>? log,
        CancellationToken cancellationToken)
    {
        var (blob, queue, table) = ports;
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     script, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--skipApiVersionCheck", "--disableTelemetry", "--loose",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        if (dataFolder is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataFolder);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataFolder);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var bound = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success)
            {
                bound[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
                log?.Invoke("azurite: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var stopwatch = Stopwatch.StartNew();
        while (!(bound.ContainsKey("Blob") && bound.ContainsKey("Queue") && bound.ContainsKey("Table")))
        {
            if (process.HasExited || stopwatch.Elapsed > TimeSpan.FromSeconds(60))
            {
                var exited = process.HasExited ? $"exited with code {process.ExitCode}" : "did not report its ports within 60 s";
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"Azurite {exited}: {string.Join(" | ", output)}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return new AzuriteLauncher(process, bound["Blob"], bound["Queue"], bound["Table"]);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://[^:]+:(\d+)")]
    private static partial System.Text.RegularExpressions.Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task InstallAsync(string root, CancellationToken cancellationToken)
    {
        var install = new ProcessStartInfo("npm")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            install.ArgumentList.Add(arg);
        }

        using var process = Process.Start(install) ?? throw new InvalidOperationException("Could not run npm: install Node.js 20.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`npm ci` failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }
    }
}
