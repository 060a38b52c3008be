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

    [LoggerMessage(1005, LogLevel.Error, "Case {CaseId}: {Command} {CommandId} can never be applied and was refused (internal-error): {Failure}")]
    public static partial void StepFailed(ILogger logger, string caseId, string command, string commandId, string failure);

    [LoggerMessage(1036, LogLevel.Warning, "Case {CaseId} is blocked: its activity failed {Failures} round(s) of retries since {Since:O}; next try at {NextTryAt:O}. Last error: {Error}")]
    public static partial void Blocked(ILogger logger, string caseId, int failures, DateTimeOffset since, DateTimeOffset nextTryAt, string error);

    [LoggerMessage(1037, LogLevel.Information, "Case {CaseId} applies its steps again")]
    public static partial void Unblocked(ILogger logger, string caseId);

    [LoggerMessage(1030, LogLevel.Warning, "Case {CaseId}: its orchestration is {Status}; restarted from our own record (restore {Restore}; failures in a row without progress {FailedInARow} of at most {MaxRestores})")]
    public static partial void Restored(ILogger logger, string caseId, string status, int restore, int failedInARow, int maxRestores);

    [LoggerMessage(1039, LogLevel.Warning, "Registration {CaseId} was accepted but its case never started (its process died on the way); finished by the reconciler")]
    public static partial void RegistrationRestored(ILogger logger, string caseId);

    [LoggerMessage(1031, LogLevel.Critical, "Case {CaseId}: its orchestration is {Status} again, after {Restores} restores at the same case version; not restarting again. An operator must look at it (the case's restore row holds the error).")]
    public static partial void RestoreLimit(ILogger logger, string caseId, string status, int restores);

    [LoggerMessage(1032, LogLevel.Warning, "Case {CaseId}: {DueAt:O} (its due instant, or a command's arrival in its inbox) passed more than the grace ago and its orchestration has not acted on it; nudged it")]
    public static partial void Nudged(ILogger logger, string caseId, DateTimeOffset dueAt);

    [LoggerMessage(1041, LogLevel.Warning, "Case {CaseId}: its orchestration runs but has not taken up what waits in its inbox since {Since:O} (oldest waiting {WaitingFrom:O}); terminated so that the next sweep restarts it from our own record")]
    public static partial void Stalled(ILogger logger, string caseId, DateTimeOffset since, DateTimeOffset waitingFrom);

    [LoggerMessage(1033, LogLevel.Information, "Released the reservation of case {CaseId}, whose registration never started")]
    public static partial void ReservationReleased(ILogger logger, string caseId);

    [LoggerMessage(1034, LogLevel.Information, "Reconciler pass ({Kind}): {Checked} cases checked, {Restored} restored, {Nudged} nudged, {Stalled} stalled orchestrations terminated, {Purged} finished instances purged, {Cleared} command rows of closed cases cleared")]
    public static partial void Swept(ILogger logger, string kind, int @checked, int restored, int nudged, int stalled, int purged, int cleared);

    [LoggerMessage(1035, LogLevel.Error, "Reconciler: case {CaseId} could not be checked")]
    public static partial void CheckFailed(ILogger logger, Exception exception, string caseId);
}
