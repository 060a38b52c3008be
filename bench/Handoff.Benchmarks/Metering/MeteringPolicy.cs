using Azure.Core;
using Azure.Core.Pipeline;

namespace Handoff.Benchmarks.Metering;

/// <summary>Counts each attempt into its <see cref="Meter"/> under the source, the current <see cref="Caller"/> and the request's kind.</summary>
internal sealed class MeteringPolicy(Meter meter, string source, string service) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var (caller, target, receive) = Count(message.Request);
        ProcessNext(message, pipeline);
        CountIfEmpty(message, caller, target, receive);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var (caller, target, receive) = Count(message.Request);
        await ProcessNextAsync(message, pipeline);
        CountIfEmpty(message, caller, target, receive);
    }

    /// <summary>A receive (or peek) that returned no message: the response lists no <c>QueueMessage</c>.</summary>
    private void CountIfEmpty(HttpMessage message, string caller, string target, bool receive)
    {
        if (!receive || !message.HasResponse || message.Response.Status != 200)
        {
            return;
        }

        try
        {
            if (!message.Response.Content.ToString().Contains("<QueueMessage>", StringComparison.Ordinal))
            {
                meter.CountEmptyPoll(source, caller, target);
            }
        }
        catch (InvalidOperationException)
        {
            // Not buffered: cannot tell, counted as work.
        }
    }

    private (string Caller, string Target, bool Receive) Count(Request request)
    {
        var caller = Caller.Now;
        meter.Counter(source, caller).Count(service, request);
        var target = $"{service} {Target(request.Uri.Path)}";
        meter.CountTarget(source, caller, target);
        if (service == "queue" && request.Method == RequestMethod.Post && Delayed(request.Uri.Query) && request.Content is { } content
            && content.TryComputeLength(out var length))
        {
            meter.CountDelayedMessage(length);
        }

        var receive = service == "queue" && request.Method == RequestMethod.Get && request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal);
        return (caller, target, receive);
    }

    /// <summary>The table, queue or container named in a path-style (emulator) address, with the hub's name generalised.</summary>
    private string Target(string path)
    {
        var segments = Uri.UnescapeDataString(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments.Length > 1 ? segments[1] : segments.Length == 1 ? segments[0] : "";
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        name = paren >= 0 ? name[..paren] : name;
        return name.Replace(meter.Hub, "<hub>", StringComparison.OrdinalIgnoreCase);
    }

    private static bool Delayed(string query)
    {
        const string parameter = "visibilitytimeout=";
        var at = query.IndexOf(parameter, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var value = query[(at + parameter.Length)..].Split('&')[0];
        return int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0;
    }
}
