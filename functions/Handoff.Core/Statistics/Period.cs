using System.Globalization;

namespace Handoff.Core.Statistics;

/// <summary>
/// A statistics period as officials report on it: a calendar month, quarter or year (Asia/Shanghai dates), the calendar months it
/// holds being the buckets its figures are summed from (<see cref="CaseFacts.Month"/>).
/// </summary>
/// <param name="Kind"><c>month</c>, <c>quarter</c> or <c>year</c>.</param>
/// <param name="Number">The month (1–12) or quarter (1–4); 1 for a year.</param>
/// <param name="From">The first day of the period.</param>
/// <param name="To">The last day of the period.</param>
public sealed record Period(string Kind, int Year, int Number, DateOnly From, DateOnly To)
{
    /// <summary>How many months the trend shows: the twelve months up to the period's last month.</summary>
    public const int TrendMonths = 12;

    /// <summary>The period's months, <c>yyyy-MM</c>, in order.</summary>
    public IReadOnlyList<string> Months => MonthsBetween(From, To);

    public string FirstMonth => CaseFacts.MonthOf(From);

    public string LastMonth => CaseFacts.MonthOf(To);

    /// <summary>The first month the trend may show (<see cref="Trend"/>): the dashboard reads its sums from here to <see cref="LastMonth"/>.</summary>
    public string TrendFirstMonth => CaseFacts.MonthOf(new DateOnly(To.Year, To.Month, 1).AddMonths(1 - TrendMonths));

    public string Label => Kind switch
    {
        "year" => $"{Year}年",
        "quarter" => $"{Year}年第{Number}季度",
        _ => $"{Year}年{Number}月",
    };

    public string Query => $"period={Kind}&year={Year}&n={Number}";

    public bool Contains(string month) => string.CompareOrdinal(month, FirstMonth) >= 0 && string.CompareOrdinal(month, LastMonth) <= 0;

    /// <summary>
    /// The months the trend plots: the <see cref="TrendMonths"/> months ending with the period's last month, none that starts after
    /// <paramref name="today"/> (a month to come has no figures yet: it is not plotted as 0).
    /// </summary>
    public IReadOnlyList<string> Trend(DateOnly today)
    {
        var last = new DateOnly(To.Year, To.Month, 1);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        return MonthsBetween(last.AddMonths(1 - TrendMonths), last < thisMonth ? last : thisMonth);
    }

    /// <summary>The period asked for (<c>?period=&amp;year=&amp;n=</c>); what is missing or out of range is the one holding <paramref name="today"/>.</summary>
    public static Period Parse(string? kind, string? year, string? number, DateOnly today)
    {
        kind = kind is "quarter" or "year" ? kind : "month";
        var y = int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var yy) && yy is >= 2000 and <= 2100 ? yy : today.Year;
        var max = kind == "quarter" ? 4 : kind == "year" ? 1 : 12;
        var fallback = kind == "quarter" ? (today.Month + 2) / 3 : kind == "year" ? 1 : today.Month;
        var n = int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var nn) && nn >= 1 && nn <= max ? nn : fallback;
        var (from, months) = kind switch
        {
            "year" => (new DateOnly(y, 1, 1), 12),
            "quarter" => (new DateOnly(y, 3 * n - 2, 1), 3),
            _ => (new DateOnly(y, n, 1), 1),
        };
        return new Period(kind, y, n, from, from.AddMonths(months).AddDays(-1));
    }

    private static List<string> MonthsBetween(DateOnly from, DateOnly to)
    {
        var months = new List<string>();
        for (var m = new DateOnly(from.Year, from.Month, 1); m <= to; m = m.AddMonths(1))
        {
            months.Add(CaseFacts.MonthOf(m));
        }

        return months;
    }
}
