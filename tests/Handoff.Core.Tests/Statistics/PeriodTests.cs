using Handoff.Core.Statistics;

namespace Handoff.Core.Tests.Statistics;

public class PeriodTests
{
    private static readonly DateOnly Today = new(2026, 5, 14);

    [Theory]
    [InlineData("month", "2026", "2", "2026-02-01", "2026-02-28")]
    [InlineData("quarter", "2026", "1", "2026-01-01", "2026-03-31")]
    [InlineData("quarter", "2025", "4", "2025-10-01", "2025-12-31")]
    [InlineData("year", "2026", "1", "2026-01-01", "2026-12-31")]
    public void Parse_IsTheCalendarPeriod(string kind, string year, string n, string from, string to)
    {
        var period = Period.Parse(kind, year, n, Today);

        Assert.Equal(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), period.From);
        Assert.Equal(DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), period.To);
    }

    [Fact]
    public void Parse_Quarter_HoldsItsThreeMonths_AndNoOther()
    {
        var q1 = Period.Parse("quarter", "2026", "1", Today);

        Assert.Equal(["2026-01", "2026-02", "2026-03"], q1.Months);
        Assert.False(q1.Contains("2025-12"));
        Assert.False(q1.Contains("2026-04"));
        Assert.Equal("2026年第1季度", q1.Label);
    }

    [Fact]
    public void Parse_NothingAsked_IsThisMonth()
    {
        var period = Period.Parse(null, null, null, Today);

        Assert.Equal(("month", 2026, 5), (period.Kind, period.Year, period.Number));
    }

    [Fact]
    public void Trend_StopsAtThisMonth()
    {
        var year = Period.Parse("year", "2026", "1", Today);

        Assert.Equal(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"], year.Trend(Today));
    }

    [Fact]
    public void Trend_OfAPastMonth_IsTheTwelveMonthsEndingWithIt()
    {
        var march = Period.Parse("month", "2026", "3", Today);

        var trend = march.Trend(Today);

        Assert.Equal(12, trend.Count);
        Assert.Equal("2025-04", trend[0]);
        Assert.Equal("2026-03", trend[^1]);
        Assert.Equal("2025-04", march.TrendFirstMonth);
    }

    [Fact]
    public void Trend_OfAFuturePeriod_IsEmpty()
    {
        Assert.Empty(Period.Parse("year", "2027", "1", Today).Trend(Today));
    }
}
