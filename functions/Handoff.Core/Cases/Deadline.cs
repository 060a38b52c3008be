namespace Handoff.Core.Cases;

/// <summary>A step's deadline.</summary>
/// <param name="Step">The step it belongs to.</param>
/// <param name="LastDay">The last day of the period, Asia/Shanghai.</param>
/// <param name="DueAt">The instant the period ends (24:00 of <paramref name="LastDay"/>, +08:00).</param>
/// <param name="Status">Open until met or missed; a missed deadline stays missed even when the step is done late.</param>
/// <param name="CalendarConfirmed">False when the count touched a year with no official holiday schedule.</param>
/// <param name="Provisional">Computed from a planned date (the release is not recorded yet); never fires while provisional.</param>
/// <param name="CompletedAt">When the step was done, on time or late.</param>
/// <param name="Rule">The legal or policy basis, for people reading the case.</param>
/// <param name="OpensOn">For a step that may not be done before a day (a transfer, 3 months after intake: 戒毒条例 27②), that day.</param>
public sealed record Deadline(
    DeadlineStep Step,
    DateOnly LastDay,
    DateTimeOffset DueAt,
    DeadlineStatus Status,
    bool CalendarConfirmed,
    bool Provisional,
    DateTimeOffset? CompletedAt,
    string Rule,
    DateOnly? OpensOn = null);
