namespace Handoff.Core.Regions;

/// <summary>
/// The administrative divisions that exist (GB/T 2260: province, prefecture and county levels), with their names. Pure: the host
/// loads the list from a file operators keep current (the Ministry of Civil Affairs publishes changes every year).
/// </summary>
public sealed class RegionCatalog
{
    private readonly Dictionary<string, string> _names;

    public RegionCatalog(IReadOnlyDictionary<string, string> names, string asOf)
    {
        _names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (code, name) in names)
        {
            if (!RegionCode.TryParse(code, out _) || string.IsNullOrWhiteSpace(name))
            {
                throw new FormatException($"'{code}' is not a region code with a name.");
            }

            _names[code] = name;
        }

        AsOf = asOf;
    }

    /// <summary>The date of the list, as its source states it.</summary>
    public string AsOf { get; }

    public int Count => _names.Count;

    /// <summary>Every code on the list.</summary>
    public IEnumerable<string> Codes => _names.Keys;

    /// <summary>Whether <paramref name="code"/> is a division on the list.</summary>
    public bool Contains(RegionCode code) => _names.ContainsKey(code.Value);

    /// <summary>Whether the 2-digit province prefix is one on the list (e.g. <c>44</c> 广东省).</summary>
    public bool HasProvince(string prefix) => prefix.Length == 2 && _names.ContainsKey(prefix + "0000");

    public string? Name(RegionCode code) => _names.GetValueOrDefault(code.Value);
}
