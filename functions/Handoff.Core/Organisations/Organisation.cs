using Handoff.Core.Regions;

namespace Handoff.Core.Organisations;

/// <summary>An organisation in the directory.</summary>
/// <param name="Id">Lowercase ASCII slug, e.g. <c>meizhou-centre</c>.</param>
/// <param name="Kind">Its role.</param>
/// <param name="Region">Where it sits; a supervisor's scope is <see cref="RegionCode.ScopePrefix"/>.</param>
/// <param name="Name">Chinese name, as duty officers read it.</param>
/// <param name="Webhook">Where its notices are POSTed, if it has an endpoint.</param>
/// <param name="Oversees">
/// For a supervisor: the kinds of organisation whose missed steps climb to it. Empty means every kind
/// (a 禁毒办); a 戒毒管理局 oversees only centres.
/// </param>
/// <param name="Authority">For a centre: run by 公安 (public security) or 司法行政 (justice). A public-security centre transfers its people
/// to a justice one (戒毒条例 27②). Default justice: the centres that release people into the community are mostly justice ones.</param>
public sealed record Organisation(
    string Id,
    OrganisationKind Kind,
    RegionCode Region,
    string Name,
    Uri? Webhook = null,
    IReadOnlyList<OrganisationKind>? Oversees = null,
    CentreAuthority Authority = CentreAuthority.Justice)
{
    /// <summary>A 公安 centre, from which people are transferred (戒毒条例 27②).</summary>
    public bool IsPublicSecurityCentre => Kind == OrganisationKind.Centre && Authority == CentreAuthority.PublicSecurity;

    /// <summary>Whether a missed step of an organisation of <paramref name="kind"/> climbs to this supervisor.</summary>
    public bool Supervises(OrganisationKind kind) =>
        Kind == OrganisationKind.Supervisor && (Oversees is null || Oversees.Count == 0 || Oversees.Contains(kind));
}
