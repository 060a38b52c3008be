using System.Globalization;
using Handoff.Core.Cases;
using Handoff.Core.Time;

namespace Handoff.Core.Statistics;

/// <summary>
/// What one case contributes to the supervisors' figures, as it stands: a pure function of the case, so that writing it again (a
/// retried activity) changes nothing, and the figures of a region are sums of these. A case counts in the week it was registered
/// (Monday–Sunday, Asia/Shanghai) and in the county of its receiving office.
/// </summary>
/// <param name="Week">ISO 8601 week of the registration, <c>2026-W10</c>.</param>
/// <param name="Steps">For each measured step: whether it is decided (due) and whether it was on time (met).</param>
/// <param name="Open">The case is not closed.</param>
/// <param name="LostNow">The person did not report within the period and has not reported since (脱失, 戒毒条例 38).</param>
/// <param name="Found">A person not collected or lost was found.</param>
/// <param name="OpenEscalations">Open escalations by kind and level: <c>not-reported/3</c>.</param>
public sealed record CaseFacts(
    string Week,
    IReadOnlyDictionary<Measure, StepOutcome> Steps,
    bool Open,
    bool LostNow,
    bool Found,
    IReadOnlyList<string> OpenEscalations)
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
        };
        var escalations = c.Escalations
            .Where(e => e.Status == EscalationStatus.Open)
            .Select(e => $"{EscalationKinds.Name(e.Kind)}/{e.Level}")
            .Order(StringComparer.Ordinal)
            .ToList();
        return new CaseFacts(
            IsoWeek(ChinaTime.LocalDate(c.RegisteredAt)),
            steps,
            !c.IsClosed,
            c.State == CaseState.LostContact,
            c.FoundAt is not null,
            escalations);
    }

    /// <summary>The ISO 8601 week of a date: <c>yyyy-Www</c>, the year being the one its Thursday falls in.</summary>
    public static string IsoWeek(DateOnly date)
    {
        var d = date.ToDateTime(TimeOnly.MinValue);
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(d):D4}-W{ISOWeek.GetWeekOfYear(d):D2}");
    }

    /// <summary>The Monday a week starts on.</summary>
    public static DateOnly WeekStart(string week)
    {
        var year = int.Parse(week.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var number = int.Parse(week.AsSpan(6, 2), CultureInfo.InvariantCulture);
        return DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Monday));
    }

    /// <summary>A week's Thursday: the day that decides which month, quarter and year the week counts in (as ISO 8601 does for years).</summary>
    public static DateOnly WeekThursday(string week) => WeekStart(week).AddDays(3);

    private static StepOutcome Outcome(Deadline? deadline) => deadline?.Status switch
    {
        DeadlineStatus.Met => new StepOutcome(true, true),
        DeadlineStatus.Missed => new StepOutcome(true, false),
        _ => StepOutcome.Pending,
    };
}

/// <summary>The on-time rates a supervisor is measured on.</summary>
public enum Measure
{
    /// <summary>The release notice at least 3 days ahead (戒毒条例 34).</summary>
    Notice,
    /// <summary>The receiving office acknowledged in time (policy).</summary>
    Acknowledgement,
    /// <summary>Someone collected the person at the gate (出所必接).</summary>
    Collection,
    /// <summary>The person reported within 15 days (戒毒条例 38): 报到率.</summary>
    Report,
    /// <summary>The agreement signed in time after the report (戒毒条例 16).</summary>
    Agreement,
}

/// <summary>A step's outcome: <see cref="Due"/> once it is decided (done in time, or the deadline passed), <see cref="Met"/> if on time.</summary>
public readonly record struct StepOutcome(bool Due, bool Met)
{
    public static StepOutcome Pending => new(false, false);
}
