using System.Diagnostics;
using System.Globalization;

namespace Handoff.Soak;

/// <summary>
/// One self-host process (<c>dotnet Handoff.SelfHost.dll</c>) with the run's settings on its command line, its output appended to a
/// log file across restarts. Killed with SIGKILL, never asked to stop: nothing gets to drain or release its leases.
/// </summary>
public sealed class SelfHostProcess(int number, int port, string dll, IReadOnlyDictionary<string, string> settings, string logPath) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _log = new(logPath, append: true) { AutoFlush = true };
    private Process? _process;
    private bool _closed;

    public int Number => number;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");

    public int Starts { get; private set; }

    /// <summary>Answered <c>/healthz</c> since its last start: requests go to ready processes first, as behind a load balancer.</summary>
    public bool IsReady { get; set; }

    /// <summary>How long each start took until <c>/healthz</c> answered.</summary>
    public List<TimeSpan> StartTimes { get; } = [];

    /// <summary>Exits we did not cause (a crash, or a start that failed while Azurite was down).</summary>
    public int UnplannedExits { get; private set; }

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    public int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false } p ? p.Id : null;
            }
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false })
            {
                return;
            }

            if (_process is not null)
            {
                UnplannedExits++;
                Write($"exited by itself with code {_process.ExitCode}");
                _process.Dispose();
            }

            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(dll);
            foreach (var (key, value) in settings)
            {
                start.ArgumentList.Add($"--{key}={value}");
            }

            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["DOTNET_gcServer"] = "0";
            IsReady = false;
            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the self-host.");
            Starts++;
            var generation = Starts;
            process.OutputDataReceived += (_, e) => Line(generation, e.Data);
            process.ErrorDataReceived += (_, e) => Line(generation, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            Write($"started as pid {process.Id}");
        }
    }

    /// <summary>SIGKILL. The process gets no chance to finish anything.</summary>
    public void Kill()
    {
        lock (_gate)
        {
            if (_process is not { HasExited: false } process)
            {
                return;
            }

            Write($"SIGKILL pid {process.Id}");
            IsReady = false;
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
            _process = null;
        }
    }

    public void Dispose()
    {
        Kill();
        lock (_gate)
        {
            _process?.Dispose();
            _process = null;
            _closed = true;
            _log.Dispose();
        }
    }

    private void Line(int generation, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (!_closed)
            {
                _log.WriteLine($"[{number}.{generation}] {line}");
            }
        }
    }

    private void Write(string what) =>
        _log.WriteLine($"[{number}] {TimeProvider.System.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} soak: {what}");
}
