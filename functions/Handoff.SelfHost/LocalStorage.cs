using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Handoff.Api.Hosting;
using Handoff.Development;

namespace Handoff.SelfHost;

/// <summary>
/// With no storage configured, a local run starts its own Azurite on loopback (installing it from the lock file if needed), keeps
/// its data in the git-ignored <c>.azurite/</c> folder, and stops it with the service. Only in Development.
/// </summary>
public static class LocalStorage
{
    /// <summary>
    /// Development without <c>Handoff:Secrets:IdNumberKey</c>: the key generated once into <c>.azurite/</c> (the development tooling's),
    /// so a local run needs no secret and reads what it wrote before. Elsewhere nothing is generated: the key is required.
    /// </summary>
    public static void UseLocalIdNumberKeyIfNeeded(WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment() || !string.IsNullOrWhiteSpace(builder.Configuration["Handoff:Secrets:IdNumberKey"]))
        {
            return;
        }

        var root = AzuriteLauncher.FindRepositoryRoot(builder.Environment.ContentRootPath)
            ?? AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? builder.Environment.ContentRootPath;
        var (key, path) = LocalIdNumberKey.GetOrCreate(root);
        builder.Configuration["Handoff:Secrets:IdNumberKey"] = key;
        Console.WriteLine($"Identity-number key: none configured (Handoff:Secrets:IdNumberKey); using the generated local key in {path}");
    }

    /// <summary>Starts Azurite when nothing is configured and sets the connection string. Returns the launcher to dispose at exit.</summary>
    public static async Task<AzuriteLauncher?> StartIfNeededAsync(WebApplicationBuilder builder)
    {
        if (StorageConnection.ConfiguredConnectionString(builder.Configuration) is not null || StorageConnection.IdentityEndpoints(builder.Configuration) is not null)
        {
            return null;
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"No storage configured (Handoff:Storage:ConnectionString, AzureWebJobsStorage, or AzureWebJobsStorage__accountName for a managed identity); only Development starts a local emulator, not {builder.Environment.EnvironmentName}.");
        }

        var root = AzuriteLauncher.FindRepositoryRoot(builder.Environment.ContentRootPath)
            ?? AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("No storage configured, and no repository (package.json beside Handoff.sln) to start Azurite from.");
        var folder = Path.Combine(root, ".azurite");
        var pidFile = Path.Combine(folder, "azurite.pid");
        KillLeftover(pidFile);

        var ports = new[] { 10000, 10001, 10002 }.All(IsFree) ? (10000, 10001, 10002) : ((int, int, int)?)null;
        var launcher = await AzuriteLauncher.StartAsync(root, Path.Combine(folder, "data"), ports, Console.Error.WriteLine).ConfigureAwait(false);
        await File.WriteAllTextAsync(pidFile, launcher.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        builder.Configuration[StorageConnection.ConnectionStringKey] = launcher.ConnectionString;
        Console.WriteLine($"Azurite: started on 127.0.0.1 (queue {launcher.QueuePort}, table {launcher.TablePort}); data in {folder}");
        return launcher;
    }

    /// <summary>A service killed hard cannot stop its Azurite; the next start does, by the pid it left.</summary>
    private static void KillLeftover(string pidFile)
    {
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile), out var pid))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            var cmdline = $"/proc/{pid}/cmdline";
            if (!File.Exists(cmdline) || File.ReadAllText(cmdline).Contains("azurite", StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (ArgumentException)
        {
            // Not running any more.
        }

        File.Delete(pidFile);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
