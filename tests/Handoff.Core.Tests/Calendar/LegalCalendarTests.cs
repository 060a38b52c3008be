using Handoff.Core.Calendar;
using Handoff.Core.Tests.Support;
using Handoff.Testing;

namespace Handoff.Core.Tests.Calendar;

public class LegalCalendarTests
{
    private static readonly LegalCalendar Calendar = TestData.Calendar;

    [Fact]
    public void AddDays_OrdinaryWeekday_ExcludesStartDayAndEndsAtMidnight()
    {
        var end = Calendar.AddDays(new DateOnly(2026, 3, 2), 15);

        Assert.Equal(new DateOnly(2026, 3, 17), end.LastDay);
        Assert.Equal(TestData.Beijing(2026, 3, 18, 0), end.DueAt);
        Assert.True(end.CalendarConfirmed);
    }

    [Fact]
    public void AddDays_LastDayInNationalDayHoliday_RollsToFirstWorkingDayAfter()
    {
        // 2026 国庆: 10-01 to 10-07 off (gov.cn content_7047091); 10-08 is a Thursday.
        var end = Calendar.AddDays(new DateOnly(2026, 9, 16), 15);

        Assert.Equal(new DateOnly(2026, 10, 8), end.LastDay);
    }

    [Fact]
    public void AddDays_LastDayOnOrdinarySaturday_RollsToMonday()
    {
        var end = Calendar.AddDays(new DateOnly(2026, 2, 20), 15);

        Assert.Equal(new DateOnly(2026, 3, 9), end.LastDay);
    }

    [Fact]
    public void AddDays_LastDayOnMakeUpWorkingSaturday_DoesNotRoll()
    {
        // 2026-02-28 is a Saturday made a working day (春节 调休).
        var end = Calendar.AddDays(new DateOnly(2026, 2, 13), 15);

        Assert.Equal(new DateOnly(2026, 2, 28), end.LastDay);
    }

    [Fact]
    public void AddDays_LastDayInSpringFestival_RollsPastTheWholeHoliday()
    {
        // 2026 春节: 02-15 to 02-23 off.
        var end = Calendar.AddDays(new DateOnly(2026, 2, 1), 15);

        Assert.Equal(new DateOnly(2026, 2, 24), end.LastDay);
    }

    [Fact]
    public void AddDays_2025MayDayMakeUpSunday_IsAWorkingDay()
    {
        // 2025-04-27 is a Sunday made a working day (劳动节 调休, 国办发明电〔2024〕12号).
        var end = Calendar.AddDays(new DateOnly(2025, 4, 12), 15);

        Assert.Equal(new DateOnly(2025, 4, 27), end.LastDay);
        Assert.True(end.CalendarConfirmed);
    }

    [Fact]
    public void AddDays_YearWithoutSchedule_CountsWeekendsOnlyAndIsUnconfirmed()
    {
        // 2027 has no schedule loaded: 2027-01-02 is a Saturday, so it rolls to Monday 01-04, unconfirmed.
        var end = Calendar.AddDays(new DateOnly(2026, 12, 18), 15);

        Assert.Equal(new DateOnly(2027, 1, 4), end.LastDay);
        Assert.False(end.CalendarConfirmed);
    }

    [Fact]
    public void AddDays_WeekdayInYearWithoutSchedule_IsUnconfirmed()
    {
        var end = Calendar.AddDays(new DateOnly(2027, 3, 1), 15);

        Assert.Equal(new DateOnly(2027, 3, 16), end.LastDay);
        Assert.False(end.CalendarConfirmed);
    }

    [Fact]
    public void AddDays_RollsFromConfirmedYearIntoUnconfirmedYear_IsUnconfirmed()
    {
        // 2026-12-31 is a Thursday and a working day; but make it roll: start so the last day is Saturday 2026-12-26 → Monday 12-28.
        var inside = Calendar.AddDays(new DateOnly(2026, 12, 11), 15);
        Assert.Equal(new DateOnly(2026, 12, 28), inside.LastDay);
        Assert.True(inside.CalendarConfirmed);
    }

    [Fact]
    public void Constructor_TwoSchedulesForOneYear_Throws()
    {
        var schedule = new HolidaySchedule(2026, new Dictionary<DateOnly, bool>(), []);

        Assert.Throws<ArgumentException>(() => new LegalCalendar([schedule, schedule]));
    }

    [Fact]
    public void Parse_DateOutsideYear_Throws()
    {
        const string json = """{"year":2026,"days":[{"date":"2025-01-01","name":"元旦","isOffDay":true}]}""";

        Assert.Throws<FormatException>(() => HolidayScheduleParser.Parse(json));
    }

    [Fact]
    public void Parse_ShippedSchedules_NameTheirGovCnNotices()
    {
        Assert.Equal([2025, 2026], Calendar.Years);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "calendar"), "*.json"))
        {
            var schedule = HolidayScheduleParser.Parse(File.ReadAllText(file));
            Assert.Contains(schedule.Sources, s => s.StartsWith("https://www.gov.cn/", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(2026, 3, 10, 24, 2028, 3, 10)] // 民法典 202: the corresponding day
    [InlineData(2024, 2, 29, 24, 2026, 2, 28)] // no corresponding day: the month's last day
    [InlineData(2026, 8, 31, 6, 2027, 2, 28)]
    [InlineData(2026, 4, 3, 6, 2026, 10, 3)]   // 10-03 is in 国庆: a period of restricted liberty does not roll (程序规定 §35)
    public void AddMonthsRestricted_EndsOnTheCorrespondingDay_NeverRolled(int y, int m, int d, int months, int ey, int em, int ed) =>
        Assert.Equal(new DateOnly(ey, em, ed), LegalCalendar.AddMonthsRestricted(new DateOnly(y, m, d), months));

    [Fact]
    public void AddDaysRestricted_EndsOnAHoliday_WhereAnOrdinaryPeriodRolls()
    {
        Assert.Equal(new DateOnly(2026, 10, 1), LegalCalendar.AddDaysRestricted(new DateOnly(2026, 9, 30), 1).LastDay);
        Assert.Equal(new DateOnly(2026, 10, 8), Calendar.AddDays(new DateOnly(2026, 9, 30), 1).LastDay);
    }

    [Fact]
    public void WorkingDays_SkipHolidays_AndCountMakeUpSaturdays()
    {
        // 2026: 中秋 09-25–27 and 国庆 10-01–07 off; 09-20 (Sunday) and 10-10 (Saturday) are working days (调休).
        Assert.Equal(new DateOnly(2026, 9, 21), Calendar.WorkingDaysBefore(new DateOnly(2026, 10, 8), 7).LastDay);
        Assert.Equal(new DateOnly(2026, 10, 10), Calendar.AddWorkingDays(new DateOnly(2026, 9, 30), 3).LastDay); // 10-08, 10-09, 10-10
        Assert.Equal(new DateOnly(2026, 9, 20), Calendar.WorkingDaysBefore(new DateOnly(2026, 9, 21), 1).LastDay);
    }
}
