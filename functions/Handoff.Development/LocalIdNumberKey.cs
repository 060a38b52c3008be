using System.Security.Cryptography;

namespace Handoff.Development;

/// <summary>
/// A local run's identity-number key: generated once into the git-ignored <c>.azurite/</c> folder beside the local storage, so data
/// written earlier stays readable across restarts. Development only — a deployment configures <c>Handoff:Secrets:IdNumberKey</c>.
/// </summary>
public static class LocalIdNumberKey
{
    /// <summary>The key (base64 of 32 bytes) kept under <paramref name="repositoryRoot"/>, created on first use, and where it is.</summary>
    public static (string Key, string Path) GetOrCreate(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, ".azurite", "dev-id-number.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }

        return (File.ReadAllText(path).Trim(), path);
    }
}
