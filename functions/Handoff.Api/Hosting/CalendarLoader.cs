using Handoff.Core.Calendar;

namespace Handoff.Api.Hosting;

/// <summary>Loads every <c>{year}.json</c> holiday schedule in the calendar folder. Operators add a year by adding its file.</summary>
public static class CalendarLoader
{
    public static LegalCalendar Load(string folder, ILogger logger)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The holiday calendar folder {folder} does not exist.");
        }

        var schedules = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(f =>
            {
                try
                {
                    return HolidayScheduleParser.Parse(File.ReadAllText(f));
                }
                catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or KeyNotFoundException)
                {
                    throw new InvalidDataException($"{f}: {ex.Message}", ex);
                }
            })
            .ToList();
        var calendar = new LegalCalendar(schedules);
        HostLog.CalendarLoaded(logger, string.Join(", ", calendar.Years), folder);
        return calendar;
    }
}
