namespace Handoff.Soak;

/// <summary>
/// The self-host processes of a run: started together, restarted whenever one is down, and — while the chaos runs — one of them
/// SIGKILLed at random every few seconds and started again with the same settings.
/// </summary>
public sealed class Cluster(IReadOnlyList<SelfHostProcess> processes, Action<string> log) : IDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastKillAt;
    private bool _chaosPaused;

    public IReadOnlyList<SelfHostProcess> Processes => processes;

    public int Kills { get; private set; }

    /// <summary>While true the chaos kills nobody (an Azurite outage: the self-hosts keep running through it).</summary>
    public bool ChaosPaused
    {
        get => Volatile.Read(ref _chaosPaused);
        set => Volatile.Write(ref _chaosPaused, value);
    }

    /// <summary>Real time of the last SIGKILL (of a self-host or of Azurite); without any, when the chaos stopped.</summary>
    public DateTimeOffset? LastKillAt
    {
        get
        {
            lock (_gate)
            {
                return _lastKillAt;
            }
        }
    }

    public void StartAll()
    {
        foreach (var p in processes)
        {
            Start(p);
        }
    }

    /// <summary>Starts the process and, in the background, notes when it first answers <c>/healthz</c>.</summary>
    private void Start(SelfHostProcess p)
    {
        p.Start();
        var starts = p.Starts;
        _ = Task.Run(async () =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (p.Starts == starts && p.IsRunning && watch.Elapsed < TimeSpan.FromMinutes(2))
            {
                try
                {
                    using var response = await Probe.GetAsync(new Uri(p.BaseAddress, "/healthz")).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode && p.Starts == starts)
                    {
                        p.IsReady = true;
                        p.StartTimes.Add(watch.Elapsed);
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                }

                await Task.Delay(200).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Notes a kill now; with <paramref name="only"/> false, only if there was none (the chaos stopping without kills).</summary>
    public void MarkKill(bool only = true)
    {
        lock (_gate)
        {
            if (only || _lastKillAt is null)
            {
                _lastKillAt = TimeProvider.System.GetUtcNow();
            }
        }
    }

    /// <summary>A process to send a request to: a random ready one, else a random running one (any, when none runs).</summary>
    public SelfHostProcess Pick(Random random)
    {
        var ready = processes.Where(p => p.IsReady && p.IsRunning).ToList();
        var running = ready.Count > 0 ? ready : processes.Where(p => p.IsRunning).ToList();
        var from = running.Count > 0 ? running : processes.ToList();
        lock (random)
        {
            return from[random.Next(from.Count)];
        }
    }

    /// <summary>Restarts any process that is not running (it crashed, or failed to start while storage was down).</summary>
    public async Task SuperviseAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await Wait(timer, stop).ConfigureAwait(false))
        {
            foreach (var p in processes.Where(p => !p.IsRunning))
            {
                Start(p);
            }
        }
    }

    /// <summary>Every <paramref name="every"/> (never, when zero): SIGKILL a random running process, then start it again at once.</summary>
    public async Task RunChaosAsync(TimeSpan every, Random random, CancellationToken stop)
    {
        if (every <= TimeSpan.Zero)
        {
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            MarkKill(only: false);
            return;
        }

        using var timer = new PeriodicTimer(every);
        while (await Wait(timer, stop).ConfigureAwait(false))
        {
            var running = processes.Where(p => p.IsRunning).ToList();
            if (running.Count == 0 || ChaosPaused)
            {
                continue;
            }

            SelfHostProcess victim;
            lock (random)
            {
                victim = running[random.Next(running.Count)];
            }

            victim.Kill();
            Kills++;
            MarkKill();
            Start(victim);
        }

        MarkKill(only: false);
        log($"chaos stopped after {Kills} kills");
    }

    public void Dispose()
    {
        foreach (var p in processes)
        {
            p.Dispose();
        }
    }

    private static async Task<bool> Wait(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
