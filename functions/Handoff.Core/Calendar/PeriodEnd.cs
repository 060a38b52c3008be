using Handoff.Core.Time;

namespace Handoff.Core.Calendar;

/// <summary>The end of a legal period counted in days.</summary>
/// <param name="LastDay">The last day of the period (after any holiday roll-over).</param>
/// <param name="CalendarConfirmed">
/// <c>false</c> when a year touched by the count has no official holiday schedule loaded, so only weekends were counted as days off.
/// </param>
public readonly record struct PeriodEnd(DateOnly LastDay, bool CalendarConfirmed)
{
    /// <summary>The instant the period ends: 24:00 Asia/Shanghai of <see cref="LastDay"/> (民法典 203).</summary>
    public DateTimeOffset DueAt => ChinaTime.EndOfDay(LastDay);
}
