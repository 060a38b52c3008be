using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Handoff.Storage.Infrastructure;

/// <summary>
/// Counts every request the Azure SDK sends, by kind — service, method and resource type, e.g. <c>queue GET messages</c>,
/// <c>table POST batch</c>, <c>blob PUT lease</c> — so that benchmarks can report storage requests per command. SDK retries count as
/// separate requests: they cost as much.
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

    /// <summary>A pipeline policy that counts into this counter under <paramref name="service"/> (table, queue or blob).</summary>
    public HttpPipelinePolicy For(string service) => new CountingPolicy(this, service);

    /// <summary>Counts one request to <paramref name="service"/>.</summary>
    public void Count(string service, Request request)
    {
        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate(Kind(service, request), 1, (_, n) => n + 1);
    }

    /// <summary>
    /// The kind of a request: <c>{service} {method} {resource}</c>, the resource read from the address — tables: <c>batch</c>,
    /// <c>tables</c> (the table list: create, delete), <c>entity</c> (one row by key, or an insert), <c>query</c>; queues:
    /// <c>messages</c> (send, receive, peek, clear), <c>message</c> (update or delete one), <c>queue</c> (create, delete, metadata),
    /// <c>list</c>; blobs: <c>lease</c>, <c>container</c>, <c>list</c>, <c>blob</c>. Path-style (emulator) and host-style addresses alike.
    /// </summary>
    public static string Kind(string service, Request request) =>
        $"{service} {request.Method} {Resource(service, request.Method, request.Uri.Path, request.Uri.Query)}";

    private static string Resource(string service, RequestMethod method, string path, string query)
    {
        var segments = Uri.UnescapeDataString(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var last = segments.Length > 0 ? segments[^1] : "";
        var previous = segments.Length > 1 ? segments[^2] : "";
        bool Has(string parameter) => query.Contains(parameter, StringComparison.OrdinalIgnoreCase);
        return service switch
        {
            "table" when last == "$batch" => "batch",
            "table" when last.StartsWith("Tables", StringComparison.Ordinal) => "tables",
            "table" when last.Contains('(', StringComparison.Ordinal) && !last.EndsWith("()", StringComparison.Ordinal) => "entity",
            "table" => method == RequestMethod.Get ? "query" : "entity",
            "queue" when last == "messages" => "messages",
            "queue" when previous == "messages" => "message",
            "queue" when Has("comp=list") => "list",
            "queue" => "queue",
            "blob" when Has("comp=lease") => "lease",
            "blob" when Has("comp=list") => "list",
            "blob" when Has("restype=container") => "container",
            _ => service == "blob" ? "blob" : "other",
        };
    }

    private sealed class CountingPolicy(StorageRequestCounter counter, string service) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            counter.Count(service, message.Request);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            counter.Count(service, message.Request);
            return ProcessNextAsync(message, pipeline);
        }
    }
}
