using System.Text.Json.Serialization;

namespace Handoff.Core.Cases;

/// <summary>A change of the term a centre proposes (禁毒法 47). Serialised in kebab-case.</summary>
public enum TermChangeKind
{
    /// <summary>延长: at most one year in all (禁毒法 47③).</summary>
    [JsonStringEnumMemberName("extension")] Extension,

    /// <summary>提前解除: after at least one year (禁毒法 47②), never after an escape (戒毒条例 32).</summary>
    [JsonStringEnumMemberName("early-release")] EarlyRelease,

    /// <summary>变更为社区戒毒: a person out for treatment whose health no longer allows the return (戒毒条例 31②); the term served is credited.</summary>
    [JsonStringEnumMemberName("to-community")] ToCommunity,
}
