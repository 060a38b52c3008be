using DurableTask.Core;

namespace Handoff.SelfHost;

/// <summary>
/// Registers an orchestration or activity with DurableTask.Core's <c>TaskHubWorker</c> under its name: a new shim on every call, as the
/// engine requires (the self-host's engine and the benchmark's floor engine both use it).
/// </summary>
public sealed class ShimCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public ShimCreator(string name, Func<T> create)
    {
        Name = name;
        Version = "";
        _create = create;
    }

    public override T Create() => _create();
}
