using System.Text.Json.Serialization;

namespace Handoff.Core.Organisations;

/// <summary>Who runs a 强制隔离戒毒所 (戒毒条例 27; 司法部令第127号 §3). Serialised in kebab-case.</summary>
public enum CentreAuthority
{
    /// <summary>司法行政部门: holds people for the rest of the term and releases them.</summary>
    [JsonStringEnumMemberName("justice")] Justice,

    /// <summary>公安机关: holds people for the first 3–6 months (12 under a provincial plan), then transfers them.</summary>
    [JsonStringEnumMemberName("public-security")] PublicSecurity,
}
