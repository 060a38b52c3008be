using Azure.Core;
using Azure.Core.Pipeline;

namespace Handoff.Testing;

/// <summary>
/// Simulates a crash right after the Nth storage call: the call reaches storage and takes effect, then the caller sees an exception,
/// as if the process died before it could act on the answer. Added outside the SDK's retries so the SDK does not retry it.
/// </summary>
public sealed class FaultInjector
{
    private int _countdown;

    /// <summary>Storage calls made since the last <see cref="CrashAfter"/>.</summary>
    public int Calls { get; private set; }

    /// <summary>Whether the crash happened (a queue pump may have caught it as a handler failure).</summary>
    public bool Fired { get; private set; }

    /// <summary>Crash after the <paramref name="call"/>th call from now (0: never).</summary>
    public void CrashAfter(int call)
    {
        _countdown = call;
        Calls = 0;
        Fired = false;
    }

    public HttpPipelinePolicy Policy(string service) => new CrashPolicy(this);

    private void After()
    {
        Calls++;
        if (_countdown > 0 && --_countdown == 0)
        {
            Fired = true;
            throw new InjectedCrashException(Calls);
        }
    }

    private sealed class CrashPolicy(FaultInjector injector) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            injector.After();
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            injector.After();
        }
    }
}

public sealed class InjectedCrashException(int call) : Exception($"Injected crash after storage call {call}.");
