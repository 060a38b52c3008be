using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Handoff.Testing;

/// <summary>
/// Two kinds of storage fault, added outside the SDK's retries so the SDK does not retry them:
/// <list type="bullet">
/// <item>a crash right after the Nth storage call (<see cref="CrashAfter"/>): the call reaches storage and takes effect, then the caller
/// sees an exception, as if the process died before it could act on the answer;</item>
/// <item>an outage (<see cref="StartOutage"/>): every call that matches fails with a 503 before it is sent, until
/// <see cref="EndOutage"/>, as when the storage account is unreachable;</item>
/// <item>a stall (<see cref="StallOnce"/>): the next call that matches never returns until <see cref="EndStall"/> (its caller's
/// cancellation ignored, as a connection that hangs below the SDK's timeouts), as when the work an orchestration waits on is lost.</item>
/// </list>
/// </summary>
public sealed class FaultInjector
{
    private int _countdown;
    private bool _scopedOnly;
    private volatile Func<HttpMessage, bool>? _outage;
    private int _refused;
    private Func<HttpMessage, bool>? _stall;
    private TaskCompletionSource _stallEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stalled;

    /// <summary>Storage calls made since the last <see cref="CrashAfter"/>.</summary>
    public int Calls { get; private set; }

    /// <summary>Whether the crash happened (a queue pump may have caught it as a handler failure).</summary>
    public bool Fired { get; private set; }

    /// <summary>Calls refused by outages so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>
    /// Crash after the <paramref name="call"/>th call from now (0: never). With <paramref name="scopedOnly"/>, only calls made inside
    /// <see cref="Scope"/> count: background work of the same process (the figures' catch-up, an earlier test's orchestration) must
    /// not take the crash meant for the request under test. (An in-memory test server flows the scope into the request only with
    /// <c>TestServerOptions.PreserveExecutionContext</c>.)
    /// </summary>
    public void CrashAfter(int call, bool scopedOnly = false)
    {
        _scopedOnly = scopedOnly;
        _countdown = call;
        Calls = 0;
        Fired = false;
    }

    /// <summary>Marks the calls made from here, in this async flow, as the request under test's (for <see cref="CrashAfter"/>).</summary>
    public static IDisposable Scope()
    {
        InScope.Value = true;
        return new EndScope();
    }

    private static readonly AsyncLocal<bool> InScope = new();

    private sealed class EndScope : IDisposable
    {
        public void Dispose() => InScope.Value = false;
    }

    /// <summary>Refuses every call that <paramref name="which"/> matches (all calls when null) until <see cref="EndOutage"/>.</summary>
    public void StartOutage(Func<HttpMessage, bool>? which = null) => _outage = which ?? (_ => true);

    public void EndOutage() => _outage = null;

    /// <summary>The next call that <paramref name="which"/> matches hangs until <see cref="EndStall"/>; later ones pass.</summary>
    public void StallOnce(Func<HttpMessage, bool> which)
    {
        _stallEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _stalled, 0);
        Volatile.Write(ref _stall, which);
    }

    /// <summary>Whether a call has hung since <see cref="StallOnce"/>.</summary>
    public bool Stalled => Volatile.Read(ref _stalled) > 0;

    /// <summary>Lets the hung call go on (and disarms a stall that has not caught one).</summary>
    public void EndStall()
    {
        Volatile.Write(ref _stall, null);
        _stallEnded.TrySetResult();
    }

    /// <summary>How long a stalled call hangs at most before it fails as a dropped connection: a test that stalls the wrong call fails, it never hangs the run.</summary>
    public static readonly TimeSpan MaxStall = TimeSpan.FromMinutes(2);

    private async Task StallIfMatches(HttpMessage message)
    {
        if (Volatile.Read(ref _stall) is { } stall && stall(message) && Interlocked.CompareExchange(ref _stall, null, stall) == stall)
        {
            Interlocked.Increment(ref _stalled);
            var ended = _stallEnded.Task;
            if (await Task.WhenAny(ended, Task.Delay(MaxStall)) != ended)
            {
                throw new RequestFailedException(0, $"Injected stall of {message.Request.Method} {message.Request.Uri.Path}: connection dropped after {MaxStall}");
            }
        }
    }

    /// <summary>An entity-group transaction (a <c>$batch</c> request): what a step's commit is, and what the API's own writes never are.</summary>
    public static bool IsTransaction(HttpMessage message) =>
        message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal);

    public HttpPipelinePolicy Policy(string service) => new FaultPolicy(this);

    private void Before(HttpMessage message)
    {
        if (_outage is { } outage && outage(message))
        {
            Interlocked.Increment(ref _refused);
            throw new RequestFailedException(503, "Injected outage: the storage account is unreachable.");
        }
    }

    private void After()
    {
        if (_scopedOnly && !InScope.Value)
        {
            return;
        }

        Calls++;
        if (_countdown > 0 && --_countdown == 0)
        {
            Fired = true;
            throw new InjectedCrashException(Calls);
        }
    }

    private sealed class FaultPolicy(FaultInjector injector) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            injector.Before(message);
            injector.StallIfMatches(message).GetAwaiter().GetResult();
            ProcessNext(message, pipeline);
            injector.After();
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            injector.Before(message);
            await injector.StallIfMatches(message);
            await ProcessNextAsync(message, pipeline);
            injector.After();
        }
    }
}

public sealed class InjectedCrashException(int call) : Exception($"Injected crash after storage call {call}.");
