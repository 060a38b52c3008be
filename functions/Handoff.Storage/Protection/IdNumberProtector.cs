using System.Security.Cryptography;
using System.Text;

namespace Handoff.Storage.Protection;

/// <summary>
/// Keeps identity numbers confidential (戒毒条例 7②): AES-256-GCM for the stored value, HMAC-SHA256 for the lookup that finds
/// a person's open case. Both keys derive from one 32-byte master key (HKDF), so operators manage a single secret.
/// </summary>
public sealed class IdNumberProtector
{
    private const string Version = "v1";
    private readonly byte[] _encryptionKey;
    private readonly byte[] _lookupKey;

    /// <param name="masterKey">32 random bytes, from configuration (Key Vault in Azure).</param>
    public IdNumberProtector(byte[] masterKey)
    {
        if (masterKey.Length != 32)
        {
            throw new ArgumentException("The identity-number key must be 32 bytes (base64 of 32 random bytes).", nameof(masterKey));
        }

        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "handoff id-number encryption"u8.ToArray());
        _lookupKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "handoff id-number lookup"u8.ToArray());
    }

    /// <summary><c>v1:</c> + base64(nonce ‖ ciphertext ‖ tag).</summary>
    public string Protect(string clear)
    {
        var plain = Encoding.UTF8.GetBytes(clear);
        var output = new byte[12 + plain.Length + 16];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKey, 16);
        aes.Encrypt(nonce, plain, output.AsSpan(12, plain.Length), output.AsSpan(12 + plain.Length), Encoding.ASCII.GetBytes(Version));
        return $"{Version}:{Convert.ToBase64String(output)}";
    }

    /// <exception cref="CryptographicException">Tampered ciphertext or the wrong key.</exception>
    public string Unprotect(string protectedValue)
    {
        if (!protectedValue.StartsWith(Version + ":", StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown protected identity-number format.");
        }

        var data = Convert.FromBase64String(protectedValue[(Version.Length + 1)..]);
        var plain = new byte[data.Length - 28];
        using var aes = new AesGcm(_encryptionKey, 16);
        aes.Decrypt(data.AsSpan(0, 12), data.AsSpan(12, plain.Length), data.AsSpan(12 + plain.Length), plain, Encoding.ASCII.GetBytes(Version));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>A keyed hash: the same number always gives the same lookup; without the key it reveals nothing.</summary>
    public string Lookup(string clear) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(clear)));
}
