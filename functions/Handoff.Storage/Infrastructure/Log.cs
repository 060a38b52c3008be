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

    [LoggerMessage(1050, LogLevel.Error, "Channel {Channel} gave up on {Count} notices: {Error}")]
    public static partial void ChannelGaveUp(ILogger logger, string channel, int count, string error);

    [LoggerMessage(1051, LogLevel.Warning, "Channel {Channel}: a send was interrupted before it was recorded; {Count} notices are not resent (they may or may not have arrived): {Error}")]
    public static partial void ChannelUncertain(ILogger logger, string channel, int count, string error);

    [LoggerMessage(1052, LogLevel.Warning, "Channel {Channel}: {Outcome} ({Error}); it sends again after {NotBefore}")]
    public static partial void ChannelRetrying(ILogger logger, string channel, string outcome, string error, DateTimeOffset notBefore);

    [LoggerMessage(1053, LogLevel.Information, "Channel {Channel}: sent {Count} notices in one message")]
    public static partial void ChannelSent(ILogger logger, string channel, int count);

    [LoggerMessage(1054, LogLevel.Warning, "Channel {Channel} is no longer configured; its waiting notices stay in the Channels table and the inbox")]
    public static partial void ChannelUnknown(ILogger logger, string channel);
}
