using Handoff.Core.Organisations;
using Handoff.Core.People;

namespace Handoff.Core.Workflow;

/// <summary>
/// The checks of what a release notice names, written once for both notices (a registration, <c>RegisterRelease</c>, and the notice of a
/// file from the decision, <c>SendReleaseNotice</c>): the office and police station, each of the person's registered region or residence,
/// and the years. Each returns the refusal, or null.
/// </summary>
internal static class NoticeUnits
{
    public static Rejection? UnknownOffice(Organisation? office) => office is { Kind: OrganisationKind.CommunityOffice }
        ? null
        : Rejection.Invalid("receivingOfficeId", "unknown-office", "must name a community-office in the directory");

    /// <summary>禁毒法 33② / 戒毒条例 37②: rehabilitation is carried out where the person is registered, or where they live.</summary>
    public static Rejection? OfficeAway(Organisation? office, int years, PersonRecord person) =>
        office is { Kind: OrganisationKind.CommunityOffice } && years > 0 && !CaseWorkflow.ServesPerson(office.Region, person.RegisteredRegion, person.ResidenceRegion)
            ? Rejection.Invalid("receivingOfficeId", "office-not-at-residence", "must be an office in the person's registered region or residence region (戒毒条例 37)")
            : null;

    /// <summary>戒毒条例 34: the centre notifies "其户籍所在地或者现居住地公安派出所" to collect the person.</summary>
    public static Rejection? Police(Organisation? police, PersonRecord person) =>
        police is not { Kind: OrganisationKind.PoliceStation }
            ? Rejection.Invalid("policeStationId", "unknown-police-station", "must name a police-station in the directory")
            : !CaseWorkflow.ServesPerson(police.Region, person.RegisteredRegion, person.ResidenceRegion)
                ? Rejection.Invalid("policeStationId", "police-not-at-residence",
                    "must be a police station of the person's registered region or residence region (戒毒条例 34)")
                : null;

    /// <summary>禁毒法 48, 戒毒条例 37: community rehabilitation of at most three years.</summary>
    public static Rejection? Years(int years) => years is < 0 or > LegalPeriods.MaxRehabilitationYears
        ? Rejection.Invalid("rehabilitationYears", "rehabilitation-years-range", "must be 0–3: community rehabilitation is at most three years (禁毒法 48, 戒毒条例 37)")
        : null;
}
