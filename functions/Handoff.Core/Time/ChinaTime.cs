namespace Handoff.Core.Time;

/// <summary>
/// Legal days in this system are Asia/Shanghai calendar days. China has kept UTC+08:00 all year since 1991,
/// so a fixed offset is exact for every date we handle and needs no time-zone database on the host.
/// </summary>
public static class ChinaTime
{
    /// <summary>The offset of Asia/Shanghai: +08:00, no daylight saving.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>The Asia/Shanghai calendar date on which <paramref name="instant"/> falls.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>00:00 Asia/Shanghai at the start of <paramref name="date"/>.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>24:00 of <paramref name="date"/>, i.e. 00:00 of the next day (民法典 203: a period ends at 24:00 of its last day).</summary>
    public static DateTimeOffset EndOfDay(DateOnly date) => StartOfDay(date.AddDays(1));
}
