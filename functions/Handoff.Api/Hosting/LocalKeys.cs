namespace Handoff.Api.Hosting;

/// <summary>
/// The identity-number key: <c>Handoff:Secrets:IdNumberKey</c> (base64 of 32 bytes; a Key Vault reference in Azure). Required in every
/// environment: a local self-host run without one gets a generated key from the development tooling before this is read.
/// </summary>
public static class LocalKeys
{
    public static byte[] IdNumberKey(IConfiguration configuration)
    {
        var configured = configuration["Handoff:Secrets:IdNumberKey"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                "Handoff:Secrets:IdNumberKey is required (identity numbers are stored encrypted, 戒毒条例 7): base64 of 32 random bytes. The self-host generates one in Development; under the Functions host set it in local.settings.json.");
        }

        try
        {
            var key = Convert.FromBase64String(configured);
            return key.Length == 32 ? key : throw new FormatException("not 32 bytes");
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException("Handoff:Secrets:IdNumberKey must be base64 of 32 random bytes.", ex);
        }
    }
}
