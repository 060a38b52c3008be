using System.Security.Cryptography;

namespace Handoff.Api.Hosting;

/// <summary>
/// The identity-number key: <c>Handoff:Secrets:IdNumberKey</c> (base64 of 32 bytes; a Key Vault reference in Azure). A local run
/// without one generates a key once into the git-ignored <c>.azurite/</c> folder, so data written earlier stays readable.
/// Outside Development a missing key refuses to start.
/// </summary>
public static class LocalKeys
{
    public static byte[] IdNumberKey(IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        var configured = configuration["Handoff:Secrets:IdNumberKey"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            try
            {
                return Convert.FromBase64String(configured);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException("Handoff:Secrets:IdNumberKey must be base64 of 32 random bytes.", ex);
            }
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException("Handoff:Secrets:IdNumberKey is required outside Development (identity numbers are stored encrypted, 戒毒条例 7).");
        }

        var root = Storage.Emulator.AzuriteLauncher.FindRepositoryRoot(environment.ContentRootPath) ?? environment.ContentRootPath;
        var path = Path.Combine(root, ".azurite", "dev-id-number.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        HostLog.GeneratedKey(logger, path);
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
