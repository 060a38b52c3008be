namespace Handoff.Core.Statistics;

/// <summary>
/// Sums of <see cref="CaseFacts"/>: for a county and week, over the cases registered then; for "now", over the open cases. Regions and
/// periods add up (<see cref="Plus"/>), so a city, a province, a quarter are sums of county-week rows.
/// </summary>
public sealed class RegionSums
{
    public int Registered { get; set; }

    /// <summary>Per measure: how many were decided, and how many of them on time.</summary>
    public Dictionary<Measure, int> Due { get; set; } = [];

    public Dictionary<Measure, int> Met { get; set; } = [];

    public int Lost { get; set; }

    public int Found { get; set; }

    /// <summary>Open escalations by <c>kind/level</c>.</summary>
    public Dictionary<string, int> OpenEscalations { get; set; } = [];

    /// <summary>Counts a case in its registration week.</summary>
    public void Add(CaseFacts facts)
    {
        Registered++;
        foreach (var (measure, outcome) in facts.Steps)
        {
            if (outcome.Due)
            {
                Due[measure] = Due.GetValueOrDefault(measure) + 1;
                if (outcome.Met)
                {
                    Met[measure] = Met.GetValueOrDefault(measure) + 1;
                }
            }
        }

        if (facts.Found)
        {
            Found++;
        }
    }

    /// <summary>Counts an open case in the county's current figures.</summary>
    public void AddNow(CaseFacts facts)
    {
        if (facts.LostNow)
        {
            Lost++;
        }

        foreach (var key in facts.OpenEscalations)
        {
            OpenEscalations[key] = OpenEscalations.GetValueOrDefault(key) + 1;
        }
    }

    public RegionSums Plus(RegionSums other)
    {
        var sum = new RegionSums
        {
            Registered = Registered + other.Registered,
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
