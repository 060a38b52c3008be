using Handoff.Core.Calendar;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;

namespace Handoff.Core.Workflow;

/// <summary>Everything a decision may consult besides the case and the command. <see cref="Now"/> is an input, never read from a clock.</summary>
/// <param name="Policy">The national policy.</param>
/// <param name="Regional">Policies by region prefix (2, 4 or 6 digits), each complete (the national settings with the region's changes).</param>
public sealed record WorkflowContext(
    DateTimeOffset Now,
    LegalCalendar Calendar,
    OrganisationDirectory Directory,
    HandoffPolicy Policy,
    IReadOnlyDictionary<string, HandoffPolicy>? Regional = null)
{
    /// <summary>The policy where <paramref name="region"/> lies: the longest region prefix configured that covers it, else the national one.</summary>
    public HandoffPolicy PolicyFor(RegionCode? region)
    {
        if (region is { } r && Regional is { Count: > 0 })
        {
            foreach (var length in new[] { 6, 4, 2 })
            {
                if (Regional.TryGetValue(r.Value[..length], out var policy))
                {
                    return policy;
                }
            }
        }

        return Policy;
    }

    /// <summary>The policy of the organisation <paramref name="organisationId"/>'s region.</summary>
    public HandoffPolicy PolicyOf(string? organisationId) => PolicyFor(Directory.Find(organisationId)?.Region);
}
