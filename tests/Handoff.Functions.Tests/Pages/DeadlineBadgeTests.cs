using Handoff.Core.Cases;
using Handoff.Pages.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Functions.Tests.Pages;

/// <summary>The days a badge says are left are the calendar days to the deadline's last day, which ends at its 24:00.</summary>
public class DeadlineBadgeTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Theory]
    [InlineData(15, "剩15天")] // released today at 10:00: the report's 15 days end at 24:00 of the 15th day
    [InlineData(1, "剩1天")]   // a one-day rule: tomorrow
    [InlineData(0, "今天24时到期")]
    public async Task DaysLeft_AreCalendarDaysToTheLastDay(int daysToLastDay, string expected)
    {
        var now = new DateTimeOffset(2026, 3, 10, 10, 0, 0, Beijing);
        var lastDay = new DateOnly(2026, 3, 10).AddDays(daysToLastDay);
        var deadline = new Deadline(DeadlineStep.Report, lastDay, new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), Beijing),
            DeadlineStatus.Open, CalendarConfirmed: true, Provisional: false, CompletedAt: null, "戒毒条例第三十八条");

        Assert.Equal(expected, await RenderAsync(deadline, now));
    }

    [Fact]
    public async Task AStepRecordedAfterItsDeadline_SaidToHaveHappenedBefore_SaysSo_NotJustLate()
    {
        // Found walking the pages: an agreement entered as signed on 3/15 10:00, deadline 3/16 24时, but recorded after the deadline,
        // showed 超期后完成 beside 3/15 10:00. The step counts when it was received (it was escalated meanwhile); the badge says why.
        var lastDay = new DateOnly(2026, 3, 16);
        var due = new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), Beijing);
        var deadline = new Deadline(DeadlineStep.Agreement, lastDay, due, DeadlineStatus.Missed, CalendarConfirmed: true, Provisional: false,
            CompletedAt: new DateTimeOffset(2026, 3, 15, 10, 0, 0, Beijing), "戒毒条例第十六条");

        Assert.Equal("期限后才登记", await RenderAsync(deadline, due.AddDays(2)));
    }

    private static async Task<string> RenderAsync(Deadline deadline, DateTimeOffset now)
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<DeadlineBadge>(ParameterView.FromDictionary(
            new Dictionary<string, object?> { [nameof(DeadlineBadge.Deadline)] = deadline, [nameof(DeadlineBadge.Now)] = now }))).ToHtmlString());
        return System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "")).Trim();
    }
}

public class DeadlineEndTests
{
    [Fact]
    public void AnHoursDeadline_IsShownToTheMinute_NotAsTheEndOfItsDay()
    {
        // Found walking the pages: the 24-hour notice (禁毒法 40) due 12月8日 09:00 was shown as 12月8日24时.
        var due = new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.FromHours(8));
        var deadline = new Deadline(DeadlineStep.DecisionNotices, new DateOnly(2026, 12, 8), due, DeadlineStatus.Open, true, false, null, "禁毒法第四十条");
        Assert.Equal("2026年12月8日 09:00", Handoff.Pages.Infrastructure.Zh.DeadlineEnd(deadline));
    }
}
