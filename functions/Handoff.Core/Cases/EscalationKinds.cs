using System.Text.Json;
using Handoff.Core.Serialization;

namespace Handoff.Core.Cases;

/// <summary>The wire names of <see cref="EscalationKind"/> (<c>not-reported</c>), from its <c>JsonStringEnumMemberName</c> attributes.</summary>
public static class EscalationKinds
{
    private static readonly Dictionary<EscalationKind, string> Names =
        Enum.GetValues<EscalationKind>().ToDictionary(k => k, k => JsonSerializer.Serialize(k, CoreJson.Options).Trim('"'));

    public static string Name(EscalationKind kind) => Names[kind];

    public static bool TryParse(string name, out EscalationKind kind)
    {
        foreach (var (k, n) in Names)
        {
            if (n == name)
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
