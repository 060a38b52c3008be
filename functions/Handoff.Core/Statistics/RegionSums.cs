using Handoff.Core.Cases;

namespace Handoff.Core.Statistics;

/// <summary>
/// Sums of <see cref="CaseFacts"/>: for a county (or one unit of it) and a calendar month, over the cases released then; for "now",
/// over the open cases. Each case is added with the roles the county holds in it (<see cref="UnitRoles"/>), so a step counts only
/// against the unit responsible for it. Regions and periods add up (<see cref="Plus"/>), so a city, a province, a quarter are sums of
/// county-month rows; a case whose centre and office are in one region counts once in it for each role, never twice for one.
/// A cancelled registration adds nothing.
/// </summary>
public sealed class RegionSums
{
    /// <summary>People released to the region's offices (出所通报, received).</summary>
    public int Registered { get; set; }

    /// <summary>People released by the region's centres, wherever they went (本辖区戒毒所出所).</summary>
    public int Released { get; set; }

    /// <summary>Per measure: how many were decided, and how many of them on time.</summary>
    public Dictionary<Measure, int> Due { get; set; } = [];

    public Dictionary<Measure, int> Met { get; set; } = [];

    public int Lost { get; set; }

    public int Found { get; set; }

    /// <summary>Open escalations by <c>kind/level</c>.</summary>
    public Dictionary<string, int> OpenEscalations { get; set; } = [];

    /// <summary>Counts a case in its month, for the parts <paramref name="roles"/> the region answers for.</summary>
    public void Add(CaseFacts facts, UnitRoles roles)
    {
        if (facts.Cancelled)
        {
            return;
        }

        if (roles.HasFlag(UnitRoles.Office))
        {
            Registered++;
            if (facts.Found)
            {
                Found++;
            }
        }

        if (roles.HasFlag(UnitRoles.Centre))
        {
            Released++;
        }

        foreach (var (measure, outcome) in facts.Steps)
        {
            if (outcome.Due && roles.HasFlag(Measures.Responsible(measure)))
            {
                Due[measure] = Due.GetValueOrDefault(measure) + 1;
                if (outcome.Met)
                {
                    Met[measure] = Met.GetValueOrDefault(measure) + 1;
                }
            }
        }
    }

    /// <summary>Counts an open case in the region's current figures, for the parts <paramref name="roles"/> it answers for.</summary>
    public void AddNow(CaseFacts facts, UnitRoles roles)
    {
        if (facts.Cancelled || !facts.Open)
        {
            return;
        }

        if (facts.LostNow && roles.HasFlag(UnitRoles.Office))
        {
            Lost++;
        }

        foreach (var key in facts.OpenEscalations)
        {
            var kind = key.Split('/')[0];
            if (!EscalationKinds.TryParse(kind, out var k) || roles.HasFlag(Measures.Responsible(k)))
            {
                OpenEscalations[key] = OpenEscalations.GetValueOrDefault(key) + 1;
            }
        }
    }

    public RegionSums Plus(RegionSums other)
    {
        var sum = new RegionSums
        {
            Registered = Registered + other.Registered,
            Released = Released + other.Released,
            Lost = Lost + other.Lost,
            Found = Found + other.Found,
        };
        foreach (var m in Enum.GetValues<Measure>())
        {
            var due = Due.GetValueOrDefault(m) + other.Due.GetValueOrDefault(m);
            var met = Met.GetValueOrDefault(m) + other.Met.GetValueOrDefault(m);
            if (due > 0)
            {
                sum.Due[m] = due;
            }

            if (met > 0)
            {
                sum.Met[m] = met;
            }
        }

        foreach (var key in OpenEscalations.Keys.Union(other.OpenEscalations.Keys))
        {
            sum.OpenEscalations[key] = OpenEscalations.GetValueOrDefault(key) + other.OpenEscalations.GetValueOrDefault(key);
        }

        return sum;
    }

    /// <summary>The on-time rate of a measure, or null when nothing was due.</summary>
    public double? Rate(Measure measure) => Due.GetValueOrDefault(measure) is > 0 and var due ? (double)Met.GetValueOrDefault(measure) / due : null;
}
