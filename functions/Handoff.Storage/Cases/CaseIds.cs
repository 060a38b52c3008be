using System.Security.Cryptography;
using System.Text;

namespace Handoff.Storage.Cases;

/// <summary>Case ids: <c>HO-</c> and 12 Crockford base-32 characters (60 bits). Escalation ids append <c>-E{n}</c>.</summary>
public static class CaseIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New() => Encode(RandomNumberGenerator.GetBytes(8));

    /// <summary>The id a keyed registration gets, so a retried request lands on the same case.</summary>
    public static string ForIdempotencyKey(string centreId, string key) =>
        Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"register\n{centreId}\n{key}")));

    /// <summary>The case an escalation belongs to, from its id (<c>HO-…-E3</c>), or null for a malformed id.</summary>
    public static string? CaseOfEscalation(string escalationId)
    {
        var cut = escalationId.LastIndexOf("-E", StringComparison.Ordinal);
        return cut > 0 && IsCaseId(escalationId[..cut]) ? escalationId[..cut] : null;
    }

    public static bool IsCaseId(string? text) =>
        text is { Length: 15 } && text.StartsWith("HO-", StringComparison.Ordinal) && text[3..].All(ch => Alphabet.Contains(ch, StringComparison.Ordinal));

    private static string Encode(byte[] bytes)
    {
        var value = BitConverter.ToUInt64(bytes, 0);
        var chars = new char[12];
        for (var i = 0; i < 12; i++)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return "HO-" + new string(chars);
    }
}
