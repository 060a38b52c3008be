using Handoff.Core.Cases;
using Handoff.Core.Organisations;

namespace Handoff.Core.Workflow;

/// <summary>Who may see a case. What each party may do is decided with the command (<see cref="CaseWorkflow.Decide"/>).</summary>
public static class CaseAccess
{
    /// <summary>
    /// The centre, office, police station and deciding organ of the case; anyone told of one of its escalations;
    /// and a supervisor whose region prefix covers one of the case's organisations.
    /// </summary>
    public static bool CanRead(Organisation caller, Case c, OrganisationDirectory directory) =>
        c.Parties.Contains(caller.Id)
        || c.Escalations.Any(e => e.Recipients.Any(r => r.OrganisationId == caller.Id))
        || (caller.Kind == OrganisationKind.Supervisor && Regions(c, directory).Any(r => r.IsWithin(caller.Region.ScopePrefix)));

    /// <summary>The regions of the case's organisations that the directory knows, distinct.</summary>
    public static IReadOnlyList<Regions.RegionCode> Regions(Case c, OrganisationDirectory directory) =>
        c.Parties.Select(directory.Find).OfType<Organisation>().Select(o => o.Region).Distinct().ToList();
}
