using Microsoft.Extensions.Logging;

namespace Handoff.Storage.Infrastructure;

/// <summary>Source-generated logs with stable event ids. Identity numbers never appear: cases are named by id.</summary>
internal static partial class Log
{
    [LoggerMessage(1020, LogLevel.Error, "Queue {Queue}: message {MessageId} failed {Failures} times and was moved to {PoisonQueue}: {Error}")]
    public static partial void Poisoned(ILogger logger, string queue, string messageId, int failures, string poisonQueue, string error);

    [LoggerMessage(1021, LogLevel.Warning, "Queue {Queue}: message {MessageId} failed (attempt {Failures}); retrying in {Delay}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string queue, string messageId, int failures, TimeSpan delay);

    [LoggerMessage(1022, LogLevel.Warning, "Queue {Queue}: polling failed; backing off")]
    public static partial void PollFailed(ILogger logger, Exception exception, string queue);
}
