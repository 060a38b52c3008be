using System.Collections.Concurrent;
using Handoff.Core.Organisations;
using Microsoft.Extensions.Logging;

namespace Handoff.Storage.Statistics;

/// <summary>
/// Brings the supervisors' sums up to their facts, off the steps' answer path (<see cref="RegionStatsStore"/>). A step's activity tells
/// it the county it marked (<see cref="Note"/>); the loop waits <see cref="Coalesce"/> for more and recomputes each noted county once,
/// so a burst of steps in one county costs a handful of recomputations. Every <see cref="SweepInterval"/> it also looks for markers
/// no live process noted (a process that crashed after its step), in each province that has community offices or centres in the
/// directory — one request per province. Dashboards catch up their own scope before they read (<see cref="RegionStatsStore.CatchUpAsync"/>).
/// </summary>
public sealed partial class RegionStatsCatchUp(RegionStatsStore store, OrganisationDirectory directory, ILogger<RegionStatsCatchUp> logger, TimeProvider? time = null)
{
    /// <summary>How long the loop waits after a note for more before it recomputes: a burst of steps is one recomputation per county.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(5);

    /// <summary>How often the loop looks for markers no live process noted.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Azure.ETag> _noted = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>The county's facts changed and its marker was written with <paramref name="marker"/>: recompute it soon. Cheap; never blocks.</summary>
    public void Note(string county, Azure.ETag marker)
    {
        var first = !_noted.ContainsKey(county);
        _noted[county] = marker; // the latest marker this process wrote: a recomputation removes it only if no later step marked again
        if (first && _wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Runs until <paramref name="stop"/>: the hosts run it in the background.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var nextSweep = _time.GetUtcNow(); // a sweep at start: markers left by a process that crashed
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var untilSweep = nextSweep - _time.GetUtcNow();
                if (untilSweep > TimeSpan.Zero && await _wake.WaitAsync(untilSweep, stop).ConfigureAwait(false))
                {
                    await Task.Delay(Coalesce, _time, stop).ConfigureAwait(false);
                }

                await CatchUpNotedAsync(stop).ConfigureAwait(false);
                if (_time.GetUtcNow() >= nextSweep)
                {
                    nextSweep = _time.GetUtcNow() + SweepInterval;
                    await SweepAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The markers stay: the next note or sweep finds them again.
                CatchUpFailed(logger, ex);
                await Task.Delay(Coalesce, _time, stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Recomputes the counties noted so far, each once. Returns how many.</summary>
    public async Task<int> CatchUpNotedAsync(CancellationToken cancellationToken = default)
    {
        var done = 0;
        foreach (var county in _noted.Keys.ToList())
        {
            if (_noted.TryRemove(county, out var marker))
            {
                await store.RecomputeAsync(county, marker, cancellationToken).ConfigureAwait(false);
                done++;
            }
        }

        return done;
    }

    /// <summary>Recomputes every dirty county of the provinces that have community offices or centres (the units figures count in). Returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var done = 0;
        foreach (var province in directory.All.Where(o => o.Kind is OrganisationKind.CommunityOffice or OrganisationKind.Centre).Select(o => o.Region.Province).Distinct(StringComparer.Ordinal))
        {
            done += await store.CatchUpAsync(province, province, cancellationToken).ConfigureAwait(false);
        }

        return done;
    }

    [LoggerMessage(1040, LogLevel.Warning, "The supervisors' figures could not be brought up to date; the dirty counties stay marked and are tried again")]
    private static partial void CatchUpFailed(ILogger logger, Exception exception);
}
