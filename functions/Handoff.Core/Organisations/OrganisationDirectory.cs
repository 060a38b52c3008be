using System.Text.RegularExpressions;
using Handoff.Core.Regions;

namespace Handoff.Core.Organisations;

/// <summary>The organisations that take part, by id. Immutable once built.</summary>
public sealed partial class OrganisationDirectory
{
    private readonly Dictionary<string, Organisation> _byId;

    public OrganisationDirectory(IEnumerable<Organisation> organisations)
    {
        _byId = new Dictionary<string, Organisation>(StringComparer.Ordinal);
        foreach (var organisation in organisations)
        {
            if (!SlugPattern().IsMatch(organisation.Id))
            {
                throw new ArgumentException($"Organisation id '{organisation.Id}' is not a lowercase ASCII slug.", nameof(organisations));
            }

            if (!_byId.TryAdd(organisation.Id, organisation))
            {
                throw new ArgumentException($"Organisation id '{organisation.Id}' appears twice.", nameof(organisations));
            }
        }
    }

    public IReadOnlyCollection<Organisation> All => _byId.Values;

    public Organisation? Find(string? id) => id is not null && _byId.TryGetValue(id, out var organisation) ? organisation : null;

    /// <summary>
    /// The supervisors a missed step of <paramref name="responsibleKind"/> at <paramref name="region"/> climbs to,
    /// one rung a level: county, then city, then province. Rungs with no supervisor are left out.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<Organisation>> SupervisorLadder(RegionCode region, OrganisationKind responsibleKind)
    {
        var rungs = new List<RegionCode>();
        if (region.IsCounty)
        {
            rungs.Add(region);
        }

        if (!region.IsProvince)
        {
            rungs.Add(region.CityCode);
        }

        rungs.Add(region.ProvinceCode);

        var ladder = new List<IReadOnlyList<Organisation>>();
        foreach (var rung in rungs)
        {
            var supervisors = _byId.Values
                .Where(o => o.Region == rung && o.Supervises(responsibleKind))
                .OrderBy(o => o.Id, StringComparer.Ordinal)
                .ToList();
            if (supervisors.Count > 0)
            {
                ladder.Add(supervisors);
            }
        }

        return ladder;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
