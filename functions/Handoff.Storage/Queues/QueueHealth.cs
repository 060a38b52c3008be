using System.Collections.Concurrent;

namespace Handoff.Storage.Queues;

/// <summary>What the pumps have seen, for the health endpoint: poisoned messages and the last failure per queue.</summary>
public sealed class QueueHealth
{
    private readonly ConcurrentDictionary<string, QueueStatus> _queues = new();

    public IReadOnlyDictionary<string, QueueStatus> Queues => _queues;

    public void Processed(string queue) =>
        _queues.AddOrUpdate(queue, _ => new QueueStatus(1, 0, null, null), (_, s) => s with { Processed = s.Processed + 1 });

    public void Poisoned(string queue, string error, DateTimeOffset at) =>
        _queues.AddOrUpdate(queue, _ => new QueueStatus(0, 1, error, at), (_, s) => s with { Poisoned = s.Poisoned + 1, LastError = error, LastErrorAt = at });

    public void Failed(string queue, string error, DateTimeOffset at) =>
        _queues.AddOrUpdate(queue, _ => new QueueStatus(0, 0, error, at), (_, s) => s with { LastError = error, LastErrorAt = at });
}

public sealed record QueueStatus(long Processed, long Poisoned, string? LastError, DateTimeOffset? LastErrorAt);
