using System.Diagnostics.CodeAnalysis;

namespace Handoff.Core.Regions;

/// <summary>
/// A 6-digit administrative division code (GB/T 2260). Codes nest by prefix:
/// <c>44</c> province ⊃ <c>4414</c> city ⊃ <c>441426</c> county.
/// </summary>
public readonly record struct RegionCode
{
    private RegionCode(string value) => Value = value;

    public string Value { get; }

    /// <summary>The 2-digit province prefix, e.g. <c>44</c>.</summary>
    public string Province => Value[..2];

    /// <summary>The 4-digit city prefix, e.g. <c>4414</c>.</summary>
    public string City => Value[..4];

    public bool IsProvince => Value.EndsWith("0000", StringComparison.Ordinal);

    public bool IsCity => !IsProvince && Value.EndsWith("00", StringComparison.Ordinal);

    public bool IsCounty => !Value.EndsWith("00", StringComparison.Ordinal);

    /// <summary>
    /// The significant prefix a supervisor at this region covers: 2 digits for a province, 4 for a city, 6 for a county.
    /// </summary>
    public string ScopePrefix => IsProvince ? Province : IsCity ? City : Value;

    /// <summary>The province-level code, e.g. 440000.</summary>
    public RegionCode ProvinceCode => new(Province + "0000");

    /// <summary>The city-level code, e.g. 441400.</summary>
    public RegionCode CityCode => new(City + "00");

    /// <summary>Whether this region lies within the scope prefix (2, 4 or 6 digits).</summary>
    public bool IsWithin(string scopePrefix) => Value.StartsWith(scopePrefix, StringComparison.Ordinal);

    public static bool TryParse(string? text, [NotNullWhen(true)] out RegionCode? code)
    {
        code = null;
        if (text is null || text.Length != 6 || !text.All(char.IsAsciiDigit) || text.StartsWith("00", StringComparison.Ordinal))
        {
            return false;
        }

        code = new RegionCode(text);
        return true;
    }

    public static RegionCode Parse(string text) =>
        TryParse(text, out var code) ? code.Value : throw new FormatException($"'{text}' is not a 6-digit region code.");

    public override string ToString() => Value;
}
