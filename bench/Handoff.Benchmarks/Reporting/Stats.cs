namespace Handoff.Benchmarks.Reporting;

/// <summary>Nearest-rank percentiles: with few samples p99 is the maximum, and the sample count is always printed beside it.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>"p50 / p99 / max" in the given format, e.g. <c>"0.0"</c>.</summary>
    public static string Spread(IReadOnlyCollection<double> values, string format = "0.0") =>
        values.Count == 0
            ? "n/a"
            : $"{Percentile(values, 50).ToString(format, System.Globalization.CultureInfo.InvariantCulture)} / "
              + $"{Percentile(values, 99).ToString(format, System.Globalization.CultureInfo.InvariantCulture)} / "
              + $"{values.Max().ToString(format, System.Globalization.CultureInfo.InvariantCulture)}";
}
