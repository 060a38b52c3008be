using Microsoft.Extensions.Logging;

namespace Handoff.Api.Hosting;

/// <summary>Host logs with stable event ids.</summary>
internal static partial class HostLog
{
    [LoggerMessage(2001, LogLevel.Information, "Holiday schedules loaded for {Years} from {Folder}")]
    public static partial void CalendarLoaded(ILogger logger, string years, string folder);

    [LoggerMessage(2008, LogLevel.Information, "{Count} administrative divisions (GB/T 2260, as of {AsOf}) loaded from {Path}")]
    public static partial void RegionsLoaded(ILogger logger, int count, string asOf, string path);

    [LoggerMessage(2002, LogLevel.Information, "Azurite started on 127.0.0.1 (queue {QueuePort}, table {TablePort}), data in {Folder}")]
    public static partial void AzuriteStarted(ILogger logger, int queuePort, int tablePort, string folder);

    [LoggerMessage(2003, LogLevel.Warning, "Development clock: workflow time starts at {Start} and runs {Speed}× real time")]
    public static partial void DevelopmentClock(ILogger logger, DateTimeOffset start, double speed);

    [LoggerMessage(2005, LogLevel.Information, "Webhook deliveries started for {Queue}")]
    public static partial void WorkersStarted(ILogger logger, string queue);

    [LoggerMessage(2006, LogLevel.Warning, "Task hub {TaskHub} keeps the workflow clock it was anchored with; the configured Handoff:Clock settings differ and are ignored (use a new task hub, or delete .azurite/, to start another clock)")]
    public static partial void ClockKept(ILogger logger, string taskHub);
}
