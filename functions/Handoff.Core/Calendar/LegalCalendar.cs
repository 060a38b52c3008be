namespace Handoff.Core.Calendar;

/// <summary>
/// Counts legal periods in calendar days under 民法典 arts. 201–203:
/// the start day is not counted (201); the period ends at 24:00 of its last day (203);
/// a last day that is a statutory day off moves to the next day that is not a day off (203).
/// A day off is an official holiday, or a Saturday or Sunday that the year's schedule does not make a working day (调休).
/// </summary>
/// <remarks>
/// 戒毒条例 has no working-day clause, so its 3/7/15-day periods are calendar days; only the last day rolls.
/// For a year with no schedule loaded, weekends alone count as days off and the result says <c>CalendarConfirmed = false</c>.
/// </remarks>
public sealed class LegalCalendar
{
    private readonly Dictionary<int, HolidaySchedule> _schedules;

    public LegalCalendar(IEnumerable<HolidaySchedule> schedules)
    {
        _schedules = new Dictionary<int, HolidaySchedule>();
        foreach (var schedule in schedules)
        {
            if (!_schedules.TryAdd(schedule.Year, schedule))
            {
                throw new ArgumentException($"Two holiday schedules were given for {schedule.Year}.", nameof(schedules));
            }
        }
    }

    /// <summary>The years with an official schedule loaded, ascending.</summary>
    public IReadOnlyList<int> Years => _schedules.Keys.Order().ToList();

    public bool HasSchedule(int year) => _schedules.ContainsKey(year);

    /// <summary>Whether <paramref name="date"/> is a statutory day off.</summary>
    public bool IsDayOff(DateOnly date)
    {
        if (_schedules.TryGetValue(date.Year, out var schedule) && schedule.Days.TryGetValue(date, out var isOff))
        {
            return isOff;
        }

        return date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
    }

    /// <summary>
    /// The end of a period of <paramref name="days"/> calendar days that starts on <paramref name="start"/>
    /// (the start day itself not counted), with the last day rolled past days off.
    /// </summary>
    /// <param name="days">Length of the period in days; at least 1.</param>
    public PeriodEnd AddDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var last = start.AddDays(days);
        var confirmed = HasSchedule(last.Year);
        while (IsDayOff(last))
        {
            last = last.AddDays(1);
            confirmed &= HasSchedule(last.Year);
        }

        return new PeriodEnd(last, confirmed);
    }

    /// <summary>
    /// The end of a period of <paramref name="days"/> calendar days during which the person's liberty is restricted (a delivery, a
    /// reception, a decision on the term): the start day not counted, and the last day never rolled over a holiday (程序规定 §35).
    /// </summary>
    public static PeriodEnd AddDaysRestricted(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        return new PeriodEnd(start.AddDays(days), CalendarConfirmed: true);
    }

    /// <summary>
    /// The last day of a period of <paramref name="months"/> months from <paramref name="start"/> (民法典 202: the corresponding day of the
    /// last month, or that month's last day when it has none), never rolled over a holiday when liberty is restricted (程序规定 §35) — the
    /// term (戒毒条例 27①) and the months in a public-security centre (27②).
    /// </summary>
    public static DateOnly AddMonthsRestricted(DateOnly start, int months) => start.AddMonths(months);

    /// <summary>
    /// The <paramref name="days"/>th working day after <paramref name="start"/> (a province's rule in working days: 上海, 重庆). A working
    /// day is one that is not a day off under the year's schedule (调休 Saturdays count as working days).
    /// </summary>
    public PeriodEnd AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var day = start;
        var confirmed = true;
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(1);
            confirmed &= HasSchedule(day.Year);
            if (!IsDayOff(day))
            {
                counted++;
            }
        }

        return new PeriodEnd(day, confirmed);
    }

    /// <summary>
    /// The last day on which something due <paramref name="days"/> working days before <paramref name="date"/> may be done: the
    /// <paramref name="days"/>th working day before it (上海: the release notice 7 working days before the release).
    /// </summary>
    public PeriodEnd WorkingDaysBefore(DateOnly date, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        var day = date;
        var confirmed = true;
        for (var counted = 0; counted < days;)
        {
            day = day.AddDays(-1);
            confirmed &= HasSchedule(day.Year);
            if (!IsDayOff(day))
            {
                counted++;
            }
        }

        return new PeriodEnd(day, confirmed);
    }
}
