using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Handoff.Testing;

/// <summary>Keeps every log entry the host writes (after its configured filters), so tests can read what an operator would.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries;

    /// <summary>Entries written after <paramref name="mark"/> (a value of <see cref="Mark"/>).</summary>
    public IEnumerable<Entry> Since(long mark) => _entries.Where(e => e.Sequence > mark);

    public long Mark => _sequence;

    private long _sequence;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record Entry(long Sequence, string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message}{(Exception is null ? "" : " | " + Exception.GetType().Name)}";
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._entries.Enqueue(new Entry(Interlocked.Increment(ref sink._sequence), category, logLevel, eventId, formatter(state, exception), exception));
    }
}
