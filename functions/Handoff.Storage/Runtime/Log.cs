using Microsoft.Extensions.Logging;

namespace Handoff.Storage.Runtime;

/// <summary>Source-generated logs with stable event ids. Identity numbers never appear: cases are named by id.</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Case {CaseId} committed version {Version} with {EventCount} events and {NoticeCount} notices ({Command})")]
    public static partial void Committed(ILogger logger, string caseId, int version, int eventCount, int noticeCount, string command);

    [LoggerMessage(1002, LogLevel.Warning, "Case {CaseId}: lost an optimistic-concurrency race on attempt {Attempt}; retrying")]
    public static partial void ConcurrencyRetry(ILogger logger, string caseId, int attempt);

    [LoggerMessage(1003, LogLevel.Warning, "Case {CaseId}: the {Step} deadline ({LastDay}) was counted without an official holiday schedule for its year; only weekends were treated as days off. Add the year's schedule to the calendar folder.")]
    public static partial void CalendarUnconfirmed(ILogger logger, string caseId, string step, DateOnly lastDay);

    [LoggerMessage(1004, LogLevel.Information, "Case {CaseId}: replayed idempotent command {Command}")]
    public static partial void Replayed(ILogger logger, string caseId, string command);

    [LoggerMessage(1010, LogLevel.Debug, "Wake-up for case {CaseId} is stale (token {Token}); dropped")]
    public static partial void StaleWakeUp(ILogger logger, string caseId, string token);

    [LoggerMessage(1011, LogLevel.Information, "Case {CaseId}: wake-up decided {EventCount} events and {NoticeCount} notices")]
    public static partial void WakeUpActed(ILogger logger, string caseId, int eventCount, int noticeCount);

    [LoggerMessage(1012, LogLevel.Debug, "Case {CaseId}: delivered {NoticeCount} notices and indexed version {Version}")]
    public static partial void Dispatched(ILogger logger, string caseId, int noticeCount, int version);

    [LoggerMessage(1013, LogLevel.Debug, "Case {CaseId}: next wake-up at {DueAt}")]
    public static partial void Rearmed(ILogger logger, string caseId, DateTimeOffset dueAt);

    [LoggerMessage(1014, LogLevel.Information, "Wake-up for case {CaseId} is an orphan of a command that never committed; dropped")]
    public static partial void OrphanWakeUp(ILogger logger, string caseId);

    [LoggerMessage(1020, LogLevel.Error, "Queue {Queue}: message {MessageId} failed {Failures} times and was moved to {PoisonQueue}: {Error}")]
    public static partial void Poisoned(ILogger logger, string queue, string messageId, int failures, string poisonQueue, string error);

    [LoggerMessage(1021, LogLevel.Warning, "Queue {Queue}: message {MessageId} failed (attempt {Failures}); retrying in {Delay}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string queue, string messageId, int failures, TimeSpan delay);

    [LoggerMessage(1022, LogLevel.Warning, "Queue {Queue}: polling failed; backing off")]
    public static partial void PollFailed(ILogger logger, Exception exception, string queue);
}
