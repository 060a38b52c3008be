namespace Handoff.Benchmarks.Metering;

/// <summary>
/// Who is making the storage requests on the current async flow: the benchmark's own middleware marks every HTTP request of a
/// self-host as <see cref="Api"/>; the benchmark marks its direct engine calls (floor orchestrations) as <see cref="Client"/> and its
/// own reads (results, sizes) as <see cref="Bench"/>. Everything else — the engine's dispatchers, activities, background loops —
/// runs on flows the engine and the host started, unmarked: <see cref="Worker"/>.
/// </summary>
public static class Caller
{
    public const string Api = "api";
    public const string Client = "client";
    public const string Bench = "bench";
    public const string Worker = "worker";

    private static readonly AsyncLocal<string?> Current = new();

    public static string Now => Current.Value ?? Worker;

    /// <summary>Marks the current flow until the result is disposed.</summary>
    public static Scope As(string caller)
    {
        var previous = Current.Value;
        Current.Value = caller;
        return new Scope(previous);
    }

    public readonly struct Scope(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
