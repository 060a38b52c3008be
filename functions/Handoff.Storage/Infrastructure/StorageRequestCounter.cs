using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Handoff.Storage.Infrastructure;

/// <summary>
/// Counts every request the Azure SDK sends, by service (table, queue) and method, so that benchmarks can report
/// storage requests per command. SDK retries count as separate requests: they cost as much.
/// </summary>
public sealed class StorageRequestCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public IReadOnlyDictionary<string, long> ByKind => new Dictionary<string, long>(_counts);

    public void Reset()
    {
        _counts.Clear();
        Interlocked.Exchange(ref _total, 0);
    }

    /// <summary>A pipeline policy that counts into this counter under <paramref name="service"/>.</summary>
    public HttpPipelinePolicy For(string service) => new CountingPolicy(this, service);

    private void Count(string service, string method)
    {
        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate($"{service} {method}", 1, (_, n) => n + 1);
    }

    private sealed class CountingPolicy(StorageRequestCounter counter, string service) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            counter.Count(service, message.Request.Method.ToString());
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            counter.Count(service, message.Request.Method.ToString());
            return ProcessNextAsync(message, pipeline);
        }
    }
}
