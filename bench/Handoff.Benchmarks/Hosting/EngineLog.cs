using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Handoff.Benchmarks.Hosting;

/// <summary>
/// Counts the engine's warnings and errors (DurableTask.* categories) instead of printing them — under a burst they come by the
/// hundred — keyed by the section running and the message's first words, for the report. Everything else goes to the console.
/// </summary>
public sealed class EngineLog : ILoggerProvider
{
    private static readonly ConcurrentDictionary<string, long> Counts = new(StringComparer.Ordinal);

    public static EngineLog Instance { get; } = new();

    /// <summary>The busy section now running (set by the program), to tell where the engine complained.</summary>
    public static string Section { get; set; } = "start";

    public static IReadOnlyDictionary<string, long> Seen => new Dictionary<string, long>(Counts);

    public static bool IsEngine(string category) => category.StartsWith("DurableTask", StringComparison.Ordinal);

    public ILogger CreateLogger(string categoryName) => IsEngine(categoryName) ? new Counter() : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Counter : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var error = exception?.InnerException?.Message ?? exception?.Message ?? formatter(state, exception);
            var key = $"{Section}: {logLevel} {eventId.Id} {Shorten(error)}";
            Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        }

        private static string Shorten(string text)
        {
            var line = text.Split('\n')[0];
            var cut = line.IndexOf("RequestId", StringComparison.Ordinal);
            line = cut > 0 ? line[..cut] : line;
            return line.Length > 110 ? line[..110] + "…" : line.Trim();
        }
    }
}
