namespace Handoff.Benchmarks.Metering;

/// <summary>
/// Counts at one instant; <see cref="Minus"/> gives what happened between two snapshots. Empty polls — receives from a queue that
/// returned no message — are among the requests, and also counted apart: they are the engine's waiting, not its work.
/// </summary>
public sealed class MeterSnapshot(
    IReadOnlyDictionary<(string Source, string Caller, string Kind), long> kinds,
    IReadOnlyDictionary<(string Source, string Caller, string Target), long> targets,
    IReadOnlyDictionary<(string Source, string Caller, string Target), long> emptyPolls)
{
    public IReadOnlyDictionary<(string Source, string Caller, string Kind), long> Kinds => kinds;

    public IReadOnlyDictionary<(string Source, string Caller, string Target), long> Targets => targets;

    public IReadOnlyDictionary<(string Source, string Caller, string Target), long> EmptyPolls => emptyPolls;

    public MeterSnapshot Minus(MeterSnapshot earlier) => new(
        kinds.ToDictionary(k => k.Key, k => k.Value - earlier.Kinds.GetValueOrDefault(k.Key)),
        targets.ToDictionary(k => k.Key, k => k.Value - earlier.Targets.GetValueOrDefault(k.Key)),
        emptyPolls.ToDictionary(k => k.Key, k => k.Value - earlier.EmptyPolls.GetValueOrDefault(k.Key)));

    /// <summary>Receives that found their queue empty.</summary>
    public long Empty(string? source = null, string? caller = null) =>
        emptyPolls.Where(k => Matches(k.Key.Source, k.Key.Caller, source, caller)).Sum(k => k.Value);

    /// <summary>Every request but the empty polls: the work.</summary>
    public long Work(string? source = null, string? caller = null) => Total(source, caller) - Empty(source, caller);

    public IReadOnlyList<(string Target, long Count)> EmptyByTarget(string? source = null, string? caller = null) =>
        Group(emptyPolls.Where(k => Matches(k.Key.Source, k.Key.Caller, source, caller)).Select(k => (k.Key.Target, k.Value)));

    /// <summary>Requests by everyone but the benchmark's own reads, optionally of one source and one caller.</summary>
    public long Total(string? source = null, string? caller = null) =>
        kinds.Where(k => Matches(k.Key.Source, k.Key.Caller, source, caller)).Sum(k => k.Value);

    public IReadOnlyList<(string Kind, long Count)> ByKind(string? source = null, string? caller = null) =>
        Group(kinds.Where(k => Matches(k.Key.Source, k.Key.Caller, source, caller)).Select(k => (k.Key.Kind, k.Value)));

    public IReadOnlyList<(string Target, long Count)> ByTarget(string? source = null, string? caller = null) =>
        Group(targets.Where(k => Matches(k.Key.Source, k.Key.Caller, source, caller)).Select(k => (k.Key.Target, k.Value)));

    private static bool Matches(string source, string caller, string? wantSource, string? wantCaller) =>
        caller != Caller.Bench && (wantSource is null || source == wantSource) && (wantCaller is null || caller == wantCaller);

    private static List<(string, long)> Group(IEnumerable<(string Key, long Count)> rows) =>
        [.. rows.GroupBy(r => r.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(r => r.Count))).Where(r => r.Item2 != 0)
            .OrderByDescending(r => r.Item2).ThenBy(r => r.Item1, StringComparer.Ordinal)];
}
