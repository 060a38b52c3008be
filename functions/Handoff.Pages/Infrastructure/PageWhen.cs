using System.Globalization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;

namespace Handoff.Pages.Infrastructure;

/// <summary>
/// When a step happened, as a form asks it: a <c>datetime-local</c> field in Beijing time, drawn with now. The officer who records a
/// step as it happens leaves it as drawn, and the step's moment is when the form arrives (as the API's: a step without its own moment
/// is recorded at its receipt); one who records it afterwards writes when it happened — the release at the gate three days ago counts
/// the 15 days from that day (戒毒条例 38), not from the click. The core refuses a moment in the future or before the step before.
/// </summary>
public static class PageWhen
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.fff"];

    /// <summary>The field's value for an instant: Beijing time to the minute.</summary>
    public static string Format(DateTimeOffset instant) => instant.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The hidden field carrying the value the form was drawn with.</summary>
    public static string DrawnField(string field) => field + ".drawn";

    /// <summary>
    /// The moment the form names in <paramref name="field"/>: none when left empty or as drawn (the command path then records the
    /// moment the form first arrived — a double-click or a resent form sends the same request), else the Beijing time written; a value
    /// that is not a date and time is refused naming the field.
    /// </summary>
    public static (DateTimeOffset? At, Rejection? Problem) Read(IFormCollection form, string field)
    {
        var value = form[field].ToString().Trim();
        if (value.Length == 0 || value == form[DrawnField(field)].ToString().Trim())
        {
            return (null, null);
        }

        return DateTime.TryParseExact(value, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? (new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), ChinaTime.Offset), null)
            : (null, Rejection.Invalid(field, "invalid-date", "must be a date and time, yyyy-MM-ddTHH:mm, Beijing time"));
    }
}
