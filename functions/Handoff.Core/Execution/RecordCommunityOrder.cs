using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.People;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Execution;

/// <summary>
/// The 公安机关 orders 社区戒毒 instead of a centre (禁毒法 33; 戒毒条例 13): it opens the person's file. The order is served on the person,
/// the office of the execution place is told at once and acknowledges, and the person reports within 15 days of service (条例 14①) —
/// else it counts as a refusal (禁毒法 38(一)). Three years from the report (条例 14②).
/// </summary>
/// <param name="OrderNumber">The 责令社区戒毒决定书's number.</param>
/// <param name="DecidedOn">The day of the order.</param>
/// <param name="ServedAt">When it was served on the person: the 15 days count from it.</param>
/// <param name="OfficeId">The 乡镇/街道 office of the person's registered region or residence (条例 13).</param>
/// <param name="PoliceStationId">The 派出所 of the execution place, told of a refusal or violation (条例 21).</param>
[WireName("recordCommunityOrder")]
public sealed record RecordCommunityOrder(
    Actor By, string CaseId, PersonRecord Person, string OrderNumber, DateOnly DecidedOn, DateTimeOffset ServedAt, string OfficeId, string PoliceStationId)
    : OpenCase(By, CaseId, Person)
{
    internal override Decision Open(WorkflowContext context)
    {
        if (context.Directory.Find(By.OrganisationId) is not { Kind: OrganisationKind.DecisionAuthority })
        {
            return Decision.Reject(null, Rejection.Forbidden("Only a 公安机关 orders 社区戒毒 (戒毒条例 13)."));
        }

        if (Problems(context) is [var first, ..])
        {
            return Decision.Reject(null, first);
        }

        var b = new DecisionBuilder(null, context);
        b.Add(new CommunityOrdered(context.Now, By, CaseId, Person with { Name = Text.TextRules.Clean(Person.Name) }, Text.TextRules.Clean(OrderNumber),
            DecidedOn, ServedAt, OfficeId, PoliceStationId));
        var officePolicy = context.PolicyOf(OfficeId);
        b.SetDeadline(By, DeadlinePlanner.Acknowledgement(context.Now, context.Calendar, officePolicy));
        b.SetDeadline(By, CommunityRules.Report(DeadlineStep.Report, ChinaTime.LocalDate(ServedAt), context.Calendar, officePolicy,
            "戒毒条例第十四条：收到责令社区戒毒决定书之日起"));
        b.Notify(((CommunityOrdered)b.Events[0]).Letter(b.State, context.Directory));
        CaseWorkflow.ActOnWhatIsDue(b);
        return b.Build();
    }

    internal override Decision Repeat(Case current) =>
        current.Community is { OrderNumber: { } number } && current.Person.IdNumberLookup == Person.IdNumberLookup
        && current.DecisionAuthorityId == By.OrganisationId && number == Text.TextRules.Clean(OrderNumber)
            ? Decision.Accept(current, [], [])
            : Decision.Reject(current, Rejection.Conflict("case-exists", $"Case {current.CaseId} already exists with other details."));

    /// <summary>Every rule the order breaks, each field on its own (a form shows them all).</summary>
    public IReadOnlyList<Rejection> Problems(WorkflowContext context)
    {
        var problems = new List<Rejection?> { DecisionChecks.Name(Person), DecisionChecks.Number("orderNumber", OrderNumber) };
        problems.AddRange(DecisionChecks.ExecutionPlace(context.Directory, OfficeId, PoliceStationId, Person));
        problems.Add(DecisionChecks.DecidedInTheFuture(context, DecidedOn)
            ?? (DecidedOn < ChinaTime.LocalDate(context.Now).AddYears(-LegalPeriods.CommunityDetoxYears)
                ? Rejection.Invalid("decidedOn", "order-over", "must be within the last three years: 社区戒毒 lasts three years (禁毒法 33)")
                : null));
        problems.Add(DecisionChecks.Served(context, ServedAt, DecidedOn, "order"));
        return problems.OfType<Rejection>().ToList();
    }
}

/// <summary>
/// The 社区戒毒 order opened the person's file. No centre holds the person; the release fields carry the service (the day the period
/// of report counts from) and the three years.
/// </summary>
[WireName("communityOrdered")]
public sealed record CommunityOrdered(
    DateTimeOffset At, Actor By, string CaseId, PersonRecord Person, string OrderNumber, DateOnly DecidedOn, DateTimeOffset ServedAt,
    string OfficeId, string PoliceStationId) : CaseEvent(At, By)
{
    internal override Case Create() => new()
    {
        CaseId = CaseId,
        State = CaseState.Ordered,
        Person = Person,
        CentreId = null,
        OfficeId = OfficeId,
        PoliceStationId = PoliceStationId,
        DecisionAuthorityId = By.OrganisationId,
        ReleaseDate = ChinaTime.LocalDate(ServedAt),
        OriginalReleaseDate = ChinaTime.LocalDate(ServedAt),
        ReleaseType = ReleaseType.Expiry,
        RehabilitationYears = LegalPeriods.CommunityDetoxYears,
        RegisteredAt = At,
        EventCount = 1,
        Community = Community.Begin(CommunityKind.Detox, OrderNumber, ServedAt, LegalPeriods.CommunityDetoxYears, OfficeId),
    };

    /// <summary>The office's and the 派出所's notice, composed once the report deadline it gives is set.</summary>
    internal IReadOnlyList<Notice> Letter(Case after, OrganisationDirectory directory) =>
        N.Step(after, NoticeKind.CommunityOrder, At, [OfficeId, PoliceStationId], "责令社区戒毒通知",
            $"{N.Name(directory, By.OrganisationId)}通知：已于{N.Date(DecidedOn)}责令{N.Person(after)}接受社区戒毒（{OrderNumber}，《禁毒法》第三十三条），"
            + $"决定书于{N.Instant(ServedAt)}送达本人，执行地为{N.Name(directory, OfficeId)}。本人应于{N.Date(after.DeadlineFor(DeadlineStep.Report)!.LastDay)} 24:00前报到"
            + "（《戒毒条例》第十四条，逾期不报到视为拒绝接受社区戒毒）。社区戒毒期限3年，自报到之日起计算。请执行地签收本通知，报到后及时签订社区戒毒协议（第十六条）。",
            directory, eventNumber: 1);
}
