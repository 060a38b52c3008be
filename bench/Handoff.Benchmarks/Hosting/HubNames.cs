namespace Handoff.Benchmarks.Hosting;

/// <summary>A fresh task hub per system under test (letters and digits, as the engine requires), so no two share queues or history.</summary>
public static class HubNames
{
    private static readonly string Run = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));
    private static int _next;

    public static string Next(string purpose) => $"b{purpose}{Run}n{Interlocked.Increment(ref _next)}";
}
