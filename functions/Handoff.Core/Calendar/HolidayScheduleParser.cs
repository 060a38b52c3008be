using System.Globalization;
using System.Text.Json;

namespace Handoff.Core.Calendar;

/// <summary>
/// Reads a holiday schedule in the holiday-cn JSON shape:
/// <c>{"year": 2026, "source": ["https://www.gov.cn/..."], "days": [{"date": "2026-01-01", "name": "元旦", "isOffDay": true}]}</c>.
/// </summary>
public static class HolidayScheduleParser
{
    /// <exception cref="FormatException">The text is not a schedule, or a listed date is outside its year.</exception>
    public static HolidaySchedule Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("year", out var yearElement) || !yearElement.TryGetInt32(out var year))
        {
            throw new FormatException("A holiday schedule needs a numeric \"year\".");
        }

        var sources = new List<string>();
        if (root.TryGetProperty("source", out var sourceElement))
        {
            if (sourceElement.ValueKind == JsonValueKind.Array)
            {
                sources.AddRange(sourceElement.EnumerateArray().Select(s => s.GetString() ?? ""));
            }
            else if (sourceElement.ValueKind == JsonValueKind.String)
            {
                sources.Add(sourceElement.GetString()!);
            }
        }

        var days = new Dictionary<DateOnly, bool>();
        if (!root.TryGetProperty("days", out var daysElement) || daysElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"The {year} holiday schedule needs a \"days\" array.");
        }

        foreach (var day in daysElement.EnumerateArray())
        {
            var text = day.GetProperty("date").GetString();
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new FormatException($"The {year} holiday schedule has a date that is not yyyy-MM-dd: '{text}'.");
            }

            if (date.Year != year)
            {
                throw new FormatException($"The {year} holiday schedule lists {text}, which is outside its year.");
            }

            days[date] = day.GetProperty("isOffDay").GetBoolean();
        }

        return new HolidaySchedule(year, days, sources);
    }
}
