using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.People;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;

namespace Handoff.Core.Cases;

/// <summary>
/// A centre registers an upcoming release (creates the case), for a person whose decision is not in the system: the release notice of
/// 戒毒条例 34, due 3 days before the release; less than that opens a <c>late-notice</c> at once.
/// </summary>
[WireName("registerRelease")]
public sealed record RegisterRelease(
    Actor By, string CaseId, PersonRecord Person,
    string OfficeId, string PoliceStationId, string DecisionAuthorityId,
    DateOnly ReleaseDate, ReleaseType ReleaseType, int RehabilitationYears) : OpenCase(By, CaseId, Person)
{
    internal override Decision Open(WorkflowContext context)
    {
        if (context.Directory.Find(By.OrganisationId) is not { Kind: OrganisationKind.Centre })
        {
            return Decision.Reject(null, Rejection.Forbidden("Only a detention centre may register a release."));
        }

        if (Problems(context) is [var first, ..])
        {
            return Decision.Reject(null, first);
        }

        var b = new DecisionBuilder(null, context);
        b.Add(new ReleaseRegistered(context.Now, By, CaseId, Person with { Name = Text.TextRules.Clean(Person.Name) }, By.OrganisationId, OfficeId, PoliceStationId,
            DecisionAuthorityId, ReleaseDate, ReleaseType, RehabilitationYears));
        CaseWorkflow.PlanAfterNotice(b, By, acknowledgementDue: true);
        CaseWorkflow.ActOnWhatIsDue(b);
        return b.Build();
    }

    internal override Decision Repeat(Case current) =>
        current.Person.IdNumberLookup == Person.IdNumberLookup && current.CentreId == By.OrganisationId
        && current.ReleaseDate == ReleaseDate && current.OfficeId == OfficeId
            ? Decision.Accept(current, [], [])
            : Decision.Reject(current, Rejection.Conflict("case-exists", $"Case {current.CaseId} already exists with other details."));

    /// <summary>
    /// Every rule the registration breaks, each field checked on its own (a form shows them all at once; the decision refuses with the
    /// first): the name, the three organisations, the years (禁毒法 48, 戒毒条例 37), the release date, and the office at the person's
    /// registered region or residence (禁毒法 33②, 戒毒条例 37②).
    /// </summary>
    public IReadOnlyList<Rejection> Problems(WorkflowContext context)
    {
        var problems = new List<Rejection>();
        if (Text.TextRules.Name(Person.Name) is { } nameRule)
        {
            problems.Add(Rejection.Invalid("person.name", "invalid-name", nameRule));
        }

        var directory = context.Directory;
        var office = directory.Find(OfficeId);
        problems.AddRange(new[]
        {
            NoticeUnits.UnknownOffice(office),
            NoticeUnits.Police(directory.Find(PoliceStationId), Person),
            directory.Find(DecisionAuthorityId) is { Kind: OrganisationKind.DecisionAuthority }
                ? null
                : Rejection.Invalid("decisionAuthorityId", "unknown-decision-authority", "must name a decision-authority in the directory"),
            NoticeUnits.Years(RehabilitationYears),
        }.OfType<Rejection>());

        var today = ChinaTime.LocalDate(context.Now);
        if (ReleaseDate < today)
        {
            problems.Add(Rejection.Invalid("releaseDate", "release-date-past", "must not be before today (Asia/Shanghai)"));
        }
        else if (ReleaseDate > today.AddYears(LegalPeriods.MaxYearsAhead))
        {
            problems.Add(Rejection.Invalid("releaseDate", "release-date-too-far",
                "must be within 3 years: a 2-year term plus at most 1 year's extension (禁毒法 47)"));
        }

        if (NoticeUnits.OfficeAway(office, RehabilitationYears, Person) is { } away)
        {
            problems.Add(away);
        }

        return problems;
    }
}

/// <summary>The release was registered: the case begins at the release notice.</summary>
[WireName("releaseRegistered")]
public sealed record ReleaseRegistered(
    DateTimeOffset At, Actor By, string CaseId, PersonRecord Person,
    string CentreId, string OfficeId, string PoliceStationId, string DecisionAuthorityId,
    DateOnly ReleaseDate, ReleaseType ReleaseType, int RehabilitationYears) : CaseEvent(At, By)
{
    internal override Case Create() => new()
    {
        CaseId = CaseId,
        State = CaseState.Scheduled,
        Person = Person,
        CentreId = By.OrganisationId,
        OfficeId = OfficeId,
        PoliceStationId = PoliceStationId,
        DecisionAuthorityId = DecisionAuthorityId,
        ReleaseDate = ReleaseDate,
        OriginalReleaseDate = ReleaseDate,
        ReleaseType = ReleaseType,
        RehabilitationYears = RehabilitationYears,
        RegisteredAt = At,
        EventCount = 1,
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) => NoticeComposer.ReleaseNotices(after, At, directory);
}
