using System.Globalization;

namespace Handoff.Soak;

/// <summary>
/// The machine's one-minute load average (<c>/proc/loadavg</c>), sampled while the soak runs: its machine is shared, and a run's
/// durations mean little without it.
/// </summary>
public sealed class LoadSampler
{
    private readonly List<double> _samples = [];

    public double Mean => _samples.Count == 0 ? double.NaN : _samples.Average();

    public double Max => _samples.Count == 0 ? double.NaN : _samples.Max();

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        do
        {
            if (File.Exists("/proc/loadavg")
                && double.TryParse((await File.ReadAllTextAsync("/proc/loadavg", CancellationToken.None).ConfigureAwait(false)).Split(' ')[0],
                    NumberStyles.Float, CultureInfo.InvariantCulture, out var load))
            {
                lock (_samples)
                {
                    _samples.Add(load);
                }
            }
        }
        while (await Next(timer, stop).ConfigureAwait(false));
    }

    private static async Task<bool> Next(PeriodicTimer timer, CancellationToken stop)
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
