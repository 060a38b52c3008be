using System.Security.Cryptography;
using System.Text;

namespace Handoff.Storage.Cases;

/// <summary>
/// Command ids: with an <c>Idempotency-Key</c>, <c>k</c> and 40 hex digits derived from the caller and the key (a retry finds the first
/// attempt's row); without one, 32 random hex digits. A tick's id starts with <c>t</c>, a reconciler's nudge with <c>n</c>.
/// </summary>
public static class CommandIds
{
    private static readonly System.Buffers.SearchValues<char> HexLower = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>The id of the command <paramref name="organisationId"/> sends with <paramref name="key"/>.</summary>
    public static string For(string organisationId, string key) =>
        "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{organisationId}\n{key}")))[..40];

    /// <summary>A fresh id, for a command sent without a key.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The two shapes the API issues: 32 hex digits, or <c>k</c> and 40 hex digits.</summary>
    public static bool IsCommandId(string text) =>
        (text.Length == 32 && !text.AsSpan().ContainsAnyExcept(HexLower)) || (text.Length == 41 && text[0] == 'k' && !text.AsSpan(1).ContainsAnyExcept(HexLower));
}
