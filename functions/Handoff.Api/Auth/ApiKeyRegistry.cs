using System.Security.Cryptography;
using System.Text;
using Handoff.Core.Organisations;

namespace Handoff.Api.Auth;

/// <summary>
/// Maps API keys to organisations. Configured keys are stored as SHA-256 hex hashes (<c>Handoff:ApiKeys:{organisationId}</c>,
/// comma-separated for rotation). In a local run every organisation also has the sample key <c>dev-{organisationId}</c>
/// (<c>Handoff:Auth:UseDevKeys</c>, on in Development only); outside Development the service refuses to start with them.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly Dictionary<string, string> _organisationByHash = new(StringComparer.Ordinal);

    /// <summary>The organisation-less key of the people who run the service (for <c>/healthz</c> details).</summary>
    public const string Operator = "operator";

    private readonly HashSet<string> _operatorHashes = new(StringComparer.Ordinal);

    public ApiKeyRegistry(OrganisationDirectory directory, IConfiguration configuration, bool useDevKeys)
    {
        UsesDevKeys = useDevKeys;
        if (useDevKeys)
        {
            _operatorHashes.Add(Hash(DevKey(Operator)));
        }

        foreach (var hash in (configuration["Handoff:Operators:ApiKeys"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            _operatorHashes.Add(hash.ToLowerInvariant());
        }

        foreach (var organisation in directory.All)
        {
            if (useDevKeys)
            {
                _organisationByHash[Hash(DevKey(organisation.Id))] = organisation.Id;
            }

            foreach (var hash in (configuration[$"Handoff:ApiKeys:{organisation.Id}"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                _organisationByHash[hash.ToLowerInvariant()] = organisation.Id;
            }
        }
    }

    public bool UsesDevKeys { get; }

    public static string DevKey(string organisationId) => $"dev-{organisationId}";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public string? Find(string key) => _organisationByHash.GetValueOrDefault(Hash(key));

    /// <summary>Whether <paramref name="key"/> is an operator's (<c>Handoff:Operators:ApiKeys</c>, SHA-256 hex; <c>dev-operator</c> in Development).</summary>
    public bool IsOperator(string? key) => key is { Length: > 0 } && _operatorHashes.Contains(Hash(key));
}
