using System.Collections.Concurrent;
using Azure.Core.Pipeline;
using Handoff.Storage.Infrastructure;

namespace Handoff.Benchmarks.Metering;

/// <summary>
/// Every storage request of one system under test (a task hub and the clients around it), counted by source (<c>ours</c>: our
/// <c>StorageClients</c>; <c>engine</c>: DurableTask.AzureStorage's clients), by <see cref="Caller"/>, by kind (the product's
/// <see cref="StorageRequestCounter"/>), and by table, queue or container (the hub's name replaced by <c>&lt;hub&gt;</c>).
/// </summary>
public sealed class Meter(string hub)
{
    public const string Ours = "ours";
    public const string Engine = "engine";

    private readonly ConcurrentDictionary<(string Source, string Caller), StorageRequestCounter> _counters = new();
    private readonly ConcurrentDictionary<(string Source, string Caller, string Target), long> _targets = new();
    private readonly ConcurrentDictionary<(string Source, string Caller, string Target), long> _emptyPolls = new();
    private long _delayedMessages;
    private long _delayedMessageBytes;

    public string Hub => hub;

    /// <summary>The per-attempt policy the host puts on every client of <paramref name="source"/> for <paramref name="service"/>.</summary>
    public HttpPipelinePolicy Policy(string source, string service) => new MeteringPolicy(this, source, service);

    /// <summary>Queue messages sent with a visibility delay (durable timers), and their bytes as sent.</summary>
    public (long Count, long Bytes) DelayedMessages => (Interlocked.Read(ref _delayedMessages), Interlocked.Read(ref _delayedMessageBytes));

    internal StorageRequestCounter Counter(string source, string caller) => _counters.GetOrAdd((source, caller), _ => new StorageRequestCounter());

    internal void CountTarget(string source, string caller, string target) => _targets.AddOrUpdate((source, caller, target), 1, (_, n) => n + 1);

    internal void CountEmptyPoll(string source, string caller, string target) => _emptyPolls.AddOrUpdate((source, caller, target), 1, (_, n) => n + 1);

    internal void CountDelayedMessage(long bytes)
    {
        Interlocked.Increment(ref _delayedMessages);
        Interlocked.Add(ref _delayedMessageBytes, bytes);
    }

    public MeterSnapshot Snapshot()
    {
        var kinds = new Dictionary<(string, string, string), long>();
        foreach (var ((source, caller), counter) in _counters)
        {
            foreach (var (kind, n) in counter.ByKind)
            {
                kinds[(source, caller, kind)] = n;
            }
        }

        return new MeterSnapshot(kinds, new Dictionary<(string, string, string), long>(_targets), new Dictionary<(string, string, string), long>(_emptyPolls));
    }
}
