namespace Handoff.Core.Calendar;

/// <summary>
/// One year's official public-holiday schedule (国务院办公厅 notice): the days off and the make-up working days (调休).
/// Dates not listed follow the ordinary week: Saturday and Sunday off, Monday to Friday working.
/// </summary>
/// <param name="Year">The calendar year the schedule covers.</param>
/// <param name="Days">Listed dates: <c>true</c> for a day off, <c>false</c> for a make-up working day.</param>
/// <param name="Sources">Where the schedule comes from (the gov.cn notice).</param>
public sealed record HolidaySchedule(int Year, IReadOnlyDictionary<DateOnly, bool> Days, IReadOnlyList<string> Sources);
