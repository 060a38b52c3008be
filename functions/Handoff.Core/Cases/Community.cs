using System.Text.Json.Serialization;

namespace Handoff.Core.Cases;

/// <summary>Which community measure the person is under. Serialised in kebab-case.</summary>
public enum CommunityKind
{
    /// <summary>社区戒毒: ordered by the 公安机关 instead of a centre (禁毒法 33; 戒毒条例 13–24).</summary>
    [JsonStringEnumMemberName("detox")] Detox,

    /// <summary>社区康复: ordered on release from a centre (禁毒法 48; 戒毒条例 37–40).</summary>
    [JsonStringEnumMemberName("rehabilitation")] Rehabilitation,
}

/// <summary>How a community period ended. Serialised in kebab-case.</summary>
public enum CommunityEnd
{
    /// <summary>The period expired (戒毒条例 23, 40): the 公安机关 serves the 解除 notice.</summary>
    [JsonStringEnumMemberName("expired")] Expired,

    /// <summary>Imprisoned to serve a sentence (戒毒条例 24①).</summary>
    [JsonStringEnumMemberName("sentenced")] Sentenced,

    /// <summary>Placed under a compulsory educational measure (戒毒条例 24①).</summary>
    [JsonStringEnumMemberName("education-measure")] EducationMeasure,

    /// <summary>Died.</summary>
    [JsonStringEnumMemberName("deceased")] Deceased,

    /// <summary>A new 强制隔离戒毒 decision (禁毒法 38): the chain starts again in the same file.</summary>
    [JsonStringEnumMemberName("recommitted")] Recommitted,
}

/// <summary>Why a community period is suspended (戒毒条例 24②). Serialised in kebab-case.</summary>
public enum SuspensionReason
{
    [JsonStringEnumMemberName("detention")] Detention,
    [JsonStringEnumMemberName("arrest")] Arrest,
}

/// <summary>The grounds of a serious violation, or of a refusal, that the office must report to the police (戒毒条例 20, 21).</summary>
public enum ViolationGround
{
    /// <summary>No report within the period: "视为拒绝接受社区戒毒" (戒毒条例 14①; 禁毒法 38(一)).</summary>
    [JsonStringEnumMemberName("refusal")] Refusal,

    /// <summary>Evaded or refused tests 3 times or more (戒毒条例 20).</summary>
    [JsonStringEnumMemberName("tests")] Tests,

    /// <summary>Left the county without leave 3 times or more (戒毒条例 20).</summary>
    [JsonStringEnumMemberName("departures")] Departures,

    /// <summary>Away without leave more than 30 days in all (戒毒条例 20).</summary>
    [JsonStringEnumMemberName("days-away")] DaysAway,

    /// <summary>A positive test: drug use during the period (禁毒法 38(二), (四)).</summary>
    [JsonStringEnumMemberName("drug-use")] DrugUse,
}

/// <summary>What a check of the person was. Serialised in kebab-case.</summary>
public enum CheckKind
{
    /// <summary>A drug test (戒毒条例 19(二)).</summary>
    [JsonStringEnumMemberName("test")] Test,

    /// <summary>An interview or home visit.</summary>
    [JsonStringEnumMemberName("interview")] Interview,
}

/// <summary>A test's result. Serialised in kebab-case.</summary>
public enum TestResult
{
    [JsonStringEnumMemberName("negative")] Negative,

    /// <summary>Drug use during the period (禁毒法 38(二), (四)): reported to the police.</summary>
    [JsonStringEnumMemberName("positive")] Positive,

    /// <summary>Evaded: did not come (戒毒条例 20 "逃避").</summary>
    [JsonStringEnumMemberName("missed")] Missed,

    /// <summary>Refused (戒毒条例 20 "拒绝").</summary>
    [JsonStringEnumMemberName("refused")] Refused,
}

/// <summary>A test or interview, as the office recorded it.</summary>
public sealed record CommunityCheck(CheckKind Kind, DateTimeOffset At, TestResult? Result)
{
    /// <summary>The person was there: a test taken (whatever it showed) or an interview.</summary>
    [JsonIgnore] public bool Contact => Result is not (TestResult.Missed or TestResult.Refused);
}

/// <summary>A departure from the county: with the written report 戒毒条例 19(三) asks for, or without it (擅自离开, 条例 20, once it lasts 3 days).</summary>
public sealed record CommunityAbsence(DateOnly LeftOn, bool WrittenReport, DateOnly? ReturnedOn);

/// <summary>
/// The community part of a person's file: a 社区戒毒 order from its service, or 社区康复 from the report after a release, to its end. The
/// counts of 戒毒条例 20 are taken from the checks and absences recorded over the whole period.
/// </summary>
/// <param name="Kind">社区戒毒 or 社区康复.</param>
/// <param name="OrderNumber">The 责令社区戒毒决定书's number (社区戒毒 only; a 社区康复 order is served with the release).</param>
/// <param name="OrderServedAt">When the 社区戒毒 order was served: the 15 days to report count from it (戒毒条例 14①).</param>
/// <param name="Years">The period: 3 for 社区戒毒 (禁毒法 33), the years ordered for 社区康复 (at most 3, 戒毒条例 37).</param>
/// <param name="StartedOn">The day of the first report: the period counts from it (戒毒条例 14② for 社区戒毒; our reading for 社区康复,
/// whose start the 条例 does not give — chain.md §5). Null until the report.</param>
/// <param name="EndsOn">The period's last day, after suspensions (<paramref name="DaysSuspended"/> added: our reading of 戒毒条例 24②).</param>
/// <param name="SuspendedAt">While suspended by detention or arrest (戒毒条例 24②), since when.</param>
/// <param name="Checks">Every test and interview, in order.</param>
/// <param name="Absences">Every departure from the county recorded, in order.</param>
/// <param name="Grounds">Every ground of a serious violation or refusal reached, in order (戒毒条例 20, 21).</param>
/// <param name="ViolationsReported">How many of <paramref name="Grounds"/> the office has reported to the police (戒毒条例 21).</param>
/// <param name="Move">A change of the place of execution under way (戒毒条例 22).</param>
/// <param name="Offices">Every office that has executed the period, in order.</param>
/// <param name="EndedOn">The day the period ended, however it ended.</param>
/// <param name="EndReason">How it ended.</param>
/// <param name="EndNoticeServedAt">When the 解除 notice was served (戒毒条例 23, 40).</param>
/// <param name="DaysCredited">Days of 强制隔离戒毒 served, credited against the period when it was changed into 社区戒毒 (戒毒条例 31②).</param>
/// <param name="ResumedAt">The last release from custody: a suspension is never recorded from before it (counted twice otherwise).</param>
public sealed record Community(
    CommunityKind Kind,
    string? OrderNumber,
    DateTimeOffset? OrderServedAt,
    int Years,
    DateOnly? StartedOn,
    DateOnly? EndsOn,
    int DaysSuspended,
    DateTimeOffset? SuspendedAt,
    SuspensionReason? SuspensionReason,
    IReadOnlyList<CommunityCheck> Checks,
    IReadOnlyList<CommunityAbsence> Absences,
    IReadOnlyList<ViolationGround> Grounds,
    int ViolationsReported,
    PlaceChange? Move,
    IReadOnlyList<string> Offices,
    DateOnly? EndedOn,
    CommunityEnd? EndReason,
    DateTimeOffset? EndNoticeServedAt = null,
    DateTimeOffset? ResumedAt = null,
    int DaysCredited = 0)
{
    /// <summary>A new period, before the first report.</summary>
    public static Community Begin(CommunityKind kind, string? orderNumber, DateTimeOffset? servedAt, int years, string officeId) =>
        new(kind, orderNumber, servedAt, years, null, null, 0, null, null, [], [], [], 0, null, [officeId], null, null);

    /// <summary>Tests evaded or refused over the whole period (戒毒条例 20).</summary>
    [JsonIgnore] public int MissedTests => Checks.Count(x => x.Kind == CheckKind.Test && !x.Contact);

    /// <summary>
    /// Departures without leave (擅自离开, 戒毒条例 20): without the written report a departure of 3 days or more needs (条例 19(三)) — one
    /// still going on counts, one that ended within 3 days does not.
    /// </summary>
    [JsonIgnore] public int Departures => Absences.Count(WithoutLeave);

    /// <summary>The first day of an absence without leave still going on.</summary>
    [JsonIgnore] public DateOnly? AwaySince => Absences.LastOrDefault(a => !a.WrittenReport && a.ReturnedOn is null)?.LeftOn;

    /// <summary>The last contact with the person: a test taken or an interview.</summary>
    [JsonIgnore] public DateTimeOffset? LastContactAt => Checks.Where(x => x.Contact).Select(x => (DateTimeOffset?)x.At).Max();

    /// <summary>The last test taken.</summary>
    [JsonIgnore] public DateTimeOffset? LastTestAt => Checks.Where(x => x.Kind == CheckKind.Test && x.Contact).Select(x => (DateTimeOffset?)x.At).Max();

    /// <summary>Days away without leave as of <paramref name="today"/>: the ended absences and the one going on (戒毒条例 20).</summary>
    public int DaysAwayOn(DateOnly today) => Absences.Where(WithoutLeave)
        .Sum(a => Math.Max(0, (a.ReturnedOn ?? today).DayNumber - a.LeftOn.DayNumber));

    /// <summary>An absence without the written report that is, or may still become, 3 days or more (戒毒条例 19(三)).</summary>
    private static bool WithoutLeave(CommunityAbsence a) =>
        !a.WrittenReport && (a.ReturnedOn is not { } back || back.DayNumber - a.LeftOn.DayNumber >= Workflow.LegalPeriods.LeaveNeedsReportDays);

    /// <summary>The day the person leaves dynamic control if they do not relapse: 3 years after an expiry (戒毒条例 7②). Shown, not acted on.</summary>
    [JsonIgnore] public DateOnly? DynamicControlEndsOn => EndReason == CommunityEnd.Expired && EndedOn is { } end
        ? end.AddYears(Workflow.LegalPeriods.DynamicControlYears)
        : null;
}

/// <summary>
/// A change of the place of execution (戒毒条例 22): the sending office is responsible until the receiving one acknowledges the file,
/// and both are told if the person does not report there.
/// </summary>
/// <param name="ChangedOn">"变更之日" — not defined in the 条例 (chain.md §5); we take the day the sending office sends the file.</param>
public sealed record PlaceChange(
    string FromOfficeId,
    string ToOfficeId,
    string? ToPoliceStationId,
    DateOnly RequestedOn,
    DateTimeOffset SentAt,
    DateOnly ChangedOn,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ReportedAt);
