using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;

namespace Handoff.Api.Hosting;

/// <summary>
/// Reads the organisation directory file: <c>{"organisations": [{"id", "kind", "region", "name", "webhook"?, "oversees"?, "authority"?}]}</c>,
/// kinds in kebab-case (<c>community-office</c>). Fails with a message naming the entry at fault.
/// </summary>
public static class DirectoryLoader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static OrganisationDirectory Load(string path)
    {
        var file = JsonSerializer.Deserialize<DirectoryFile>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"{path} is empty.");
        var organisations = new List<Organisation>();
        foreach (var (entry, i) in file.Organisations.Select((e, i) => (e, i)))
        {
            if (entry.Id is null || !Storage.Infrastructure.StorageNames.IsQueueSafeId(entry.Id))
            {
                throw new InvalidDataException($"{path}: organisations[{i}] has id '{entry.Id}': use lowercase letters, digits and single hyphens, at most 47 characters (it names the organisation's notice feed queue).");
            }

            if (!RegionCode.TryParse(entry.Region, out var region))
            {
                throw new InvalidDataException($"{path}: organisations[{i}] ({entry.Id}) has region '{entry.Region}', not a 6-digit code.");
            }

            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                throw new InvalidDataException($"{path}: organisations[{i}] ({entry.Id}) needs a name.");
            }

            Uri? webhook = null;
            if (entry.Webhook is not null && (!Uri.TryCreate(entry.Webhook, UriKind.Absolute, out webhook) || webhook.Scheme is not ("https" or "http")))
            {
                throw new InvalidDataException($"{path}: organisations[{i}] ({entry.Id}) has a webhook that is not an http(s) URL.");
            }

            if (entry.Authority is not null && entry.Kind != OrganisationKind.Centre)
            {
                throw new InvalidDataException($"{path}: organisations[{i}] ({entry.Id}) has an authority, which only a centre has (public-security or justice).");
            }

            organisations.Add(new Organisation(entry.Id, entry.Kind, region.Value, entry.Name, webhook, entry.Oversees, entry.Authority ?? CentreAuthority.Justice));
        }

        try
        {
            return new OrganisationDirectory(organisations);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    private sealed record DirectoryFile(List<DirectoryEntry> Organisations);

    private sealed record DirectoryEntry(
        string Id, OrganisationKind Kind, string Region, string Name, string? Webhook, List<OrganisationKind>? Oversees, CentreAuthority? Authority);
}
