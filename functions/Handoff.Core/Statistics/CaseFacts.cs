using System.Globalization;
using Handoff.Core.Cases;
using Handoff.Core.Time;

namespace Handoff.Core.Statistics;

/// <summary>
/// What one case contributes to the supervisors' figures, as it stands: a pure function of the case, so that writing it again (a
/// retried activity) changes nothing, and the figures of a region are sums of these.
/// <para>
/// <b>Which month a case counts in</b>: the calendar month (Asia/Shanghai) of its release — the day the person actually left once the
/// centre recorded it, the planned release date before. Officials report releases and their handover by the month of 出所 (本月出所、
/// 本月按期报到): a case registered in January for a release in February is one of February's releases, and a month's rates are about
/// the same people as its count. A postponement, or a release recorded on another day than planned, moves the case to that month.
/// </para>
/// <para>
/// <b>Where it counts</b> is not decided here: each step counts against the unit responsible for it (<see cref="Measures.Responsible(Measure)"/>),
/// the releasing centre for its notice, the receiving office for the rest; the store places the facts in each unit's county.
/// </para>
/// </summary>
/// <param name="Month">Calendar month of the release, <c>2026-03</c> (<see cref="MonthOf"/>).</param>
/// <param name="Steps">For each measured step: whether it is decided (due) and whether it was on time (met).</param>
/// <param name="Open">The case is not closed.</param>
/// <param name="LostNow">
/// Where the person is not known to be (脱失): nobody collected them at the gate and they were not found or have not reported since
/// (an open not-collected escalation), or they did not report within the period (戒毒条例 14, 22, 38), or the office has had no contact
/// with them for the policy's days (失联, an open no-contact escalation: chain.md §6). One person, one count, however many apply.
/// </param>
/// <param name="Found">A person not collected or lost was found.</param>
/// <param name="OpenEscalations">Open escalations by kind and level: <c>not-reported/3</c>.</param>
/// <param name="Cancelled">The registration was withdrawn (a mistake, or the release will not happen): it counts in no figure.</param>
public sealed record CaseFacts(
    string Month,
    IReadOnlyDictionary<Measure, StepOutcome> Steps,
    bool Open,
    bool LostNow,
    bool Found,
    IReadOnlyList<string> OpenEscalations,
    bool Cancelled = false)
{
    public static CaseFacts From(Case c)
    {
        var steps = new Dictionary<Measure, StepOutcome>
        {
            [Measure.Notice] = Outcome(c.DeadlineFor(DeadlineStep.Notice)),
            [Measure.Acknowledgement] = Outcome(c.DeadlineFor(DeadlineStep.Acknowledgement)),
            // 出所必接: decided once the release is recorded; on time when someone collected the person at the gate.
            [Measure.Collection] = c.ReleasedAt is null
                ? (c.DeadlineFor(DeadlineStep.Release) is { Status: DeadlineStatus.Missed } ? new StepOutcome(true, false) : StepOutcome.Pending)
                : new StepOutcome(true, c.CollectedBy is { Kind: not CollectorKind.None }),
            [Measure.Report] = Outcome(c.DeadlineFor(DeadlineStep.Report)),
            [Measure.Agreement] = Outcome(c.DeadlineFor(DeadlineStep.Agreement)),
            [Measure.Execution] = Execution(c),
            [Measure.ViolationReport] = Outcome(c.DeadlineFor(DeadlineStep.ViolationReport)),
            [Measure.EndNotice] = Outcome(c.DeadlineFor(DeadlineStep.EndNotice)),
        };
        var open = c.Escalations.Where(e => e.Status == EscalationStatus.Open).ToList();
        var escalations = open
            .Select(e => $"{EscalationKinds.Name(e.Kind)}/{e.Level}")
            .Order(StringComparer.Ordinal)
            .ToList();
        return new CaseFacts(
            MonthOf(c.ReleasedAt is { } released ? ChinaTime.LocalDate(released) : c.ReleaseDate),
            steps,
            !c.IsClosed,
            c.State == CaseState.LostContact || open.Any(e => e.Kind is EscalationKind.NotCollected or EscalationKind.NotReported or EscalationKind.NoContact),
            c.FoundAt is not null,
            escalations,
            c.State == CaseState.Cancelled);
    }

    /// <summary>The calendar month of a date: <c>yyyy-MM</c> (sorts as text).</summary>
    public static string MonthOf(DateOnly date) => date.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="bucket"/> has the shape <see cref="MonthOf"/> gives (<c>2026-03</c>).</summary>
    public static bool IsMonth(string bucket) =>
        bucket.Length == 7 && DateOnly.TryParseExact(bucket, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>The first day of a month given as <c>yyyy-MM</c>.</summary>
    public static DateOnly MonthStart(string month) =>
        new(int.Parse(month.AsSpan(0, 4), CultureInfo.InvariantCulture), int.Parse(month.AsSpan(5, 2), CultureInfo.InvariantCulture), 1);

    /// <summary>
    /// 执行率 (<see cref="Measure.Execution"/>): due once the order's report period has passed or the person reported — a 社区戒毒 order, or
    /// 社区康复 ordered at a release that happened; met when the person reported and the agreement is signed. Left out while suspended,
    /// and when the period was terminated or ended by a new decision.
    /// </summary>
    private static StepOutcome Execution(Case c)
    {
        var ordered = c.Community?.Kind == CommunityKind.Detox || (c.RehabilitationYears > 0 && c.ReleasedAt is not null);
        if (!ordered || c.State == CaseState.Suspended
            || c.Community?.EndReason is CommunityEnd.Sentenced or CommunityEnd.EducationMeasure or CommunityEnd.Deceased or CommunityEnd.Recommitted)
        {
            return StepOutcome.Pending;
        }

        var due = c.ReportedAt is not null || c.DeadlineFor(DeadlineStep.Report) is { Status: DeadlineStatus.Missed };
        return due ? new StepOutcome(true, c.ReportedAt is not null && c.AgreementSignedAt is not null) : StepOutcome.Pending;
    }

    private static StepOutcome Outcome(Deadline? deadline) => deadline?.Status switch
    {
        DeadlineStatus.Met => new StepOutcome(true, true),
        DeadlineStatus.Missed => new StepOutcome(true, false),
        _ => StepOutcome.Pending,
    };
}
