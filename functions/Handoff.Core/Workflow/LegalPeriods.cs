namespace Handoff.Core.Workflow;

/// <summary>Periods fixed by national law. They are not configuration: changing one is a change of law.</summary>
public static class LegalPeriods
{
    /// <summary>戒毒条例 34: the centre notifies the deciding organ "在解除强制隔离戒毒3日前".</summary>
    public const int ReleaseNoticeDays = 3;

    /// <summary>戒毒条例 38①: report "自收到责令社区康复决定书之日起15日内"; the order is served on release.</summary>
    public const int ReportDays = 15;

    /// <summary>禁毒法 48 / 戒毒条例 37: community rehabilitation "不超过三年".</summary>
    public const int MaxRehabilitationYears = 3;

    /// <summary>禁毒法 47③: the term "最长可以延长一年" — the furthest a release can be postponed from its first date.</summary>
    public const int MaxExtensionYears = 1;

    /// <summary>戒毒条例 27①: the term is two years (24 months) from the decision.</summary>
    public const int TermMonths = 24;

    /// <summary>戒毒条例 27②: the transfer from a public-security centre comes after 3 months there (and by 6).</summary>
    public const int TransferAfterMonths = 3;

    /// <summary>禁毒法 47②: an early release after at least one year.</summary>
    public const int EarlyReleaseAfterMonths = 12;

    /// <summary>禁毒法 47③: an extension of at most one year.</summary>
    public const int MaxExtensionMonths = 12;

    /// <summary>戒毒条例 33: the deciding organ decides on a term proposal within 7 days.</summary>
    public const int TermDecisionDays = 7;

    /// <summary>禁毒法 33, 戒毒条例 14②: 社区戒毒 lasts three years from the report.</summary>
    public const int CommunityDetoxYears = 3;

    /// <summary>戒毒条例 14①, 22②: report within 15 days of the order's service, or of the change of place.</summary>
    public const int CommunityReportDays = 15;

    /// <summary>戒毒条例 20: evading or refusing tests "3次以上" is a serious violation.</summary>
    public const int MissedTestsLimit = 3;

    /// <summary>戒毒条例 20: leaving the county without leave "3次以上" is a serious violation.</summary>
    public const int DeparturesLimit = 3;

    /// <summary>戒毒条例 20: away without leave "累计超过30日" is a serious violation — the 31st day.</summary>
    public const int DaysAwayLimit = 30;

    /// <summary>戒毒条例 19(三): leaving the county for 3 days or more needs a written report.</summary>
    public const int LeaveNeedsReportDays = 3;

    /// <summary>戒毒条例 23, 40: the 公安机关 tells the office of the 解除 within 7 days.</summary>
    public const int EndNoticeDays = 7;

    /// <summary>戒毒条例 7②: "戒断3年未复吸" leaves dynamic control.</summary>
    public const int DynamicControlYears = 3;

    /// <summary>禁毒法 47①: the term is two years, so a release is never registered more than term plus extension ahead.</summary>
    public const int MaxYearsAhead = 3;

    /// <summary>
    /// 戒毒条例 34: the last moment a notice of a release on <paramref name="releaseDate"/> is on time — 24:00 (Asia/Shanghai) of the day
    /// three days before it. Counted back from the release, never rolled past holidays (rolling would shorten the notice the law gives).
    /// </summary>
    public static DateTimeOffset ReleaseNoticeDue(DateOnly releaseDate) => Time.ChinaTime.EndOfDay(releaseDate.AddDays(-ReleaseNoticeDays));

    /// <summary>Whether a notice received at <paramref name="noticeAt"/> of a release on <paramref name="releaseDate"/> is late (戒毒条例 34).</summary>
    public static bool IsLateNotice(DateOnly releaseDate, DateTimeOffset noticeAt) => noticeAt >= ReleaseNoticeDue(releaseDate);
}
