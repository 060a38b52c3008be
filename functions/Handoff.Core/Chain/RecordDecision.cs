using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.People;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Chain;

/// <summary>
/// The deciding 公安机关 records a 强制隔离戒毒 decision (禁毒法 38–41; 戒毒条例 25–27): it opens the person's file. The term runs two
/// years from the decision (戒毒条例 27①), so the release date is known from the start; the person is to be delivered to
/// <paramref name="CentreId"/> (禁毒法 41), and the family, work unit and 户籍地派出所 told within 24 hours (禁毒法 40).
/// </summary>
/// <param name="DecisionNumber">The 决定书's number, e.g. 梅公（禁）决字〔2026〕15号.</param>
/// <param name="DecidedOn">The day of the decision.</param>
/// <param name="ServedAt">When it was served on the person.</param>
/// <param name="CentreId">The centre it will be executed in: a public-security one, or a justice one where the province sends people directly.</param>
[WireName("recordDecision")]
public sealed record RecordDecision(
    Actor By, string CaseId, PersonRecord Person, string DecisionNumber, DateOnly DecidedOn, DateTimeOffset ServedAt, string CentreId)
    : OpenCase(By, CaseId, Person)
{
    internal override Decision Open(WorkflowContext context)
    {
        if (context.Directory.Find(By.OrganisationId) is not { Kind: OrganisationKind.DecisionAuthority })
        {
            return Decision.Reject(null, Rejection.Forbidden("Only a deciding 公安机关 records a 强制隔离戒毒 decision (戒毒条例 25)."));
        }

        if (Problems(context) is [var first, ..])
        {
            return Decision.Reject(null, first);
        }

        var b = new DecisionBuilder(null, context);
        var termEnds = Calendar.LegalCalendar.AddMonthsRestricted(DecidedOn, LegalPeriods.TermMonths);
        b.Add(new CommitmentDecided(context.Now, By, CaseId, Person with { Name = Text.TextRules.Clean(Person.Name) },
            Text.TextRules.Clean(DecisionNumber), DecidedOn, ServedAt, CentreId, termEnds));
        var decided = (CommitmentDecided)b.Events[0];
        PlanCommitment(b, By, ServedAt);
        b.Notify(decided.Letter(b.State, context.Directory));
        CaseWorkflow.ActOnWhatIsDue(b);
        return b.Build();
    }

    /// <summary>A decision's deadlines: the delivery (policy), the 24-hour notices (禁毒法 40) and the release the term sets.</summary>
    internal static void PlanCommitment(DecisionBuilder b, Actor by, DateTimeOffset servedAt)
    {
        b.SetDeadline(by, DeadlinePlanner.Delivery(servedAt, b.Context.PolicyOf(by.OrganisationId)));
        b.SetDeadline(by, DeadlinePlanner.TwentyFourHours(DeadlineStep.DecisionNotices, servedAt,
            "禁毒法第四十条：决定后24小时以内通知家属、所在单位和户籍所在地公安派出所"));
        ChainRules.PlanRelease(b, by);
    }

    internal override Decision Repeat(Case current) =>
        current.Commitment is { } k && current.Person.IdNumberLookup == Person.IdNumberLookup && current.DecisionAuthorityId == By.OrganisationId
        && k.DecisionNumber == Text.TextRules.Clean(DecisionNumber) && k.DecidedOn == DecidedOn
            ? Decision.Accept(current, [], [])
            : Decision.Reject(current, Rejection.Conflict("case-exists", $"Case {current.CaseId} already exists with other details."));

    /// <summary>Every rule the decision breaks, each field on its own (a form shows them all).</summary>
    public IReadOnlyList<Rejection> Problems(WorkflowContext context)
    {
        return new[]
        {
            DecisionChecks.Name(Person),
            DecisionChecks.Number("decisionNumber", DecisionNumber),
            context.Directory.Find(CentreId) is { Kind: OrganisationKind.Centre } ? null
                : Rejection.Invalid("centreId", "unknown-centre", "must name a centre in the directory"),
            DecisionChecks.DecidedInTheFuture(context, DecidedOn)
                ?? (Calendar.LegalCalendar.AddMonthsRestricted(DecidedOn, LegalPeriods.TermMonths + LegalPeriods.MaxExtensionMonths) < ChinaTime.LocalDate(context.Now)
                    ? Rejection.Invalid("decidedOn", "term-over", "must be within the last three years: a term of two years plus at most one year's extension (禁毒法 47)")
                    : null),
            DecisionChecks.Served(context, ServedAt, DecidedOn, "decision"),
        }.OfType<Rejection>().ToList();
    }
}

/// <summary>The decision opened the person's file (一人一档).</summary>
[WireName("commitmentDecided")]
public sealed record CommitmentDecided(
    DateTimeOffset At, Actor By, string CaseId, PersonRecord Person, string DecisionNumber, DateOnly DecidedOn, DateTimeOffset ServedAt,
    string CentreId, DateOnly TermEnds) : CaseEvent(At, By)
{
    internal override Case Create() => new()
    {
        CaseId = CaseId,
        State = CaseState.Decided,
        Person = Person,
        CentreId = CentreId,
        OfficeId = null,
        PoliceStationId = null,
        DecisionAuthorityId = By.OrganisationId,
        ReleaseDate = TermEnds,
        OriginalReleaseDate = TermEnds,
        ReleaseType = ReleaseType.Expiry,
        RehabilitationYears = 0,
        RegisteredAt = At,
        EventCount = 1,
        Commitment = new Commitment(DecisionNumber, DecidedOn, ServedAt, TermEnds, TermEnds, null, [], null, null, 0, false, null, []),
    };

    /// <summary>The centre's notice, composed once the delivery deadline it gives is set.</summary>
    internal IReadOnlyList<Notice> Letter(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.Delivery, At, [CentreId], "强制隔离戒毒人员送交通知",
            $"{N.Name(directory, By.OrganisationId)}通知：已于{N.Date(DecidedOn)}对{N.Person(after)}作出强制隔离戒毒决定（{DecisionNumber}），"
            + $"于{N.Instant(ServedAt)}送达，将送{N.Name(directory, CentreId)}执行（《禁毒法》第四十一条）。期限至{N.Date(TermEnds)}（《戒毒条例》第二十七条，自决定之日起2年）。"
            + $"请做好收治准备，收治后在系统中登记入所，或说明拒收理由。应于{N.Date(after.DeadlineFor(DeadlineStep.Delivery)!.LastDay)} 24:00前送达。", directory, eventNumber: 1);
}
