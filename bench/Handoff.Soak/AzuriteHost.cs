using System.Diagnostics;
using Handoff.Development;

namespace Handoff.Soak;

/// <summary>
/// The one Azurite of a soak run, with its data on disk so that it can be killed and started again on the same ports and data.
/// Azurite keeps each service's data in a LokiJS file that it rewrites every 5 seconds: a SIGKILL loses what was acknowledged since
/// the last save, which Azure Storage never does. A "clean" kill therefore waits until the table and queue files were just saved, so
/// that the fault injected is an outage, not a loss of acknowledged writes; a "blind" kill does not wait.
/// </summary>
public sealed class AzuriteHost(string root, string dataFolder, Action<string> log) : IAsyncDisposable
{
    private static readonly string[] SavedFiles = ["__azurite_db_table__.json", "__azurite_db_queue__.json"];
    private AzuriteLauncher? _launcher;
    private (int Blob, int Queue, int Table)? _ports;

    public int Restarts { get; private set; }

    /// <summary>Outages: kills after which Azurite was started again only after a while.</summary>
    public int Outages { get; private set; }

    public string ConnectionString => _launcher?.ConnectionString ?? throw new InvalidOperationException("Azurite is not running.");

    public int? ProcessId => _launcher?.ProcessId;

    /// <summary>Starts Azurite: on free ports the first time, on the same ports afterwards (retrying while they are still held).</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _launcher = await AzuriteLauncher.StartAsync(root, dataFolder, _ports, log, cancellationToken).ConfigureAwait(false);
                _ports = (_launcher.BlobPort, _launcher.QueuePort, _launcher.TablePort);
                return;
            }
            catch (InvalidOperationException ex) when (_ports is not null && attempt < 20)
            {
                log($"Azurite did not start on its ports yet ({ex.Message.Split('|')[0]}); retrying.");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>SIGKILLs Azurite. Returns how long after its last save of the table data the kill came (null when unknown).</summary>
    public async Task<TimeSpan?> KillAsync(bool blind, CancellationToken cancellationToken = default)
    {
        TimeSpan? sinceSave = null;
        if (!blind)
        {
            sinceSave = await WaitForSaveAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_launcher is not null)
        {
            await _launcher.DisposeAsync().ConfigureAwait(false); // Process.Kill: SIGKILL on Linux.
            _launcher = null;
        }

        return sinceSave;
    }

    /// <summary>Kills and starts again on the same ports and data folder.</summary>
    public async Task<TimeSpan?> RestartAsync(bool blind, CancellationToken cancellationToken = default)
    {
        var sinceSave = await KillAsync(blind, cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        Restarts++;
        return sinceSave;
    }

    /// <summary>
    /// An outage: kills Azurite, keeps it down for <paramref name="length"/>, then starts it again on the same ports and data folder.
    /// Returns how long after its last save it was killed (null when unknown, or blind) and how long it was really down.
    /// </summary>
    public async Task<(TimeSpan? SinceSave, TimeSpan Down)> OutageAsync(bool blind, TimeSpan length, CancellationToken cancellationToken = default)
    {
        var sinceSave = await KillAsync(blind, cancellationToken).ConfigureAwait(false);
        var down = Stopwatch.StartNew();
        await Task.Delay(length, cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
        Outages++;
        return (sinceSave, down.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        if (_launcher is not null)
        {
            await _launcher.DisposeAsync().ConfigureAwait(false);
            _launcher = null;
        }
    }

    /// <summary>
    /// Waits, at most 30 s, for a moment just after Azurite saved: the table file rewritten within the last 200 ms, and the queue file
    /// too — or not rewritten for over 6 s, so it had nothing unsaved (Azurite writes a file only when it changed, on one 5 s timer).
    /// Returns the time since the table file's save; null when no such moment came (the kill is then blind).
    /// </summary>
    private async Task<TimeSpan?> WaitForSaveAsync(CancellationToken cancellationToken)
    {
        var files = SavedFiles.Select(f => Path.Combine(dataFolder, f)).ToArray();
        var last = files.Select(Stamp).ToArray();
        var watch = Stopwatch.StartNew();
        var changedAt = files.Select(_ => -TimeSpan.FromSeconds(10)).ToArray();
        var justSaved = TimeSpan.FromMilliseconds(200);
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            for (var i = 0; i < files.Length; i++)
            {
                var stamp = Stamp(files[i]);
                if (stamp != last[i])
                {
                    last[i] = stamp;
                    changedAt[i] = watch.Elapsed;
                }
            }

            var table = watch.Elapsed - changedAt[0];
            var queue = watch.Elapsed - changedAt[1];
            if (watch.Elapsed > TimeSpan.FromSeconds(6) && table < justSaved && (queue < justSaved || queue > TimeSpan.FromSeconds(6)))
            {
                return table;
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        log("Azurite: no moment just after a save within 30 s; killing it anyway (blind).");
        return null;
    }

    private static long Stamp(string path) => File.Exists(path) ? File.GetLastWriteTimeUtc(path).Ticks ^ new FileInfo(path).Length : 0;
}
