using Microsoft.Extensions.Logging;

namespace Handoff.Workflow;

/// <summary>Source-generated logs with stable event ids. Identity numbers never appear: cases are named by id.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Case {CaseId} is at version {Version} after {Command}: {EventCount} events, {NoticeCount} notices")]
    public static partial void StepApplied(ILogger logger, string caseId, int version, string command, int eventCount, int noticeCount);

    [LoggerMessage(1002, LogLevel.Information, "Case {CaseId}: {Command} refused by the workflow ({Code})")]
    public static partial void StepRefused(ILogger logger, string caseId, string command, string code);

    [LoggerMessage(1003, LogLevel.Warning, "Case {CaseId}: the {Step} deadline ({LastDay:yyyy-MM-dd}) was counted without an official holiday schedule for its year; only weekends were treated as days off. Add the year's schedule to the calendar folder.")]
    public static partial void CalendarUnconfirmed(ILogger logger, string caseId, string step, DateOnly lastDay);

    [LoggerMessage(1004, LogLevel.Debug, "Case {CaseId}: step {CommandId} was already applied; its effects were written again")]
    public static partial void StepRepeated(ILogger logger, string caseId, string commandId);

    [LoggerMessage(1030, LogLevel.Warning, "Case {CaseId}: its orchestration is {Status}; restarted from our own history (restore {Restore} of at most {MaxRestores})")]
    public static partial void Restored(ILogger logger, string caseId, string status, int restore, int maxRestores);

    [LoggerMessage(1031, LogLevel.Critical, "Case {CaseId}: its orchestration is {Status} and was restored {Restores} times already; not restarting again. An operator must look at it.")]
    public static partial void RestoreLimit(ILogger logger, string caseId, string status, int restores);

    [LoggerMessage(1032, LogLevel.Warning, "Case {CaseId}: due at {DueAt:O} and still not acted on; nudged its orchestration")]
    public static partial void Nudged(ILogger logger, string caseId, DateTimeOffset dueAt);

    [LoggerMessage(1033, LogLevel.Information, "Released the reservation of case {CaseId}, whose registration never started")]
    public static partial void ReservationReleased(ILogger logger, string caseId);

    [LoggerMessage(1034, LogLevel.Information, "Reconciler pass ({Kind}): {Checked} cases checked, {Restored} restored, {Nudged} nudged, {Purged} finished instances purged")]
    public static partial void Swept(ILogger logger, string kind, int @checked, int restored, int nudged, int purged);

    [LoggerMessage(1035, LogLevel.Error, "Reconciler: case {CaseId} could not be checked")]
    public static partial void CheckFailed(ILogger logger, Exception exception, string caseId);
}
