namespace Handoff.Core.Workflow;

/// <summary>
/// Numbers that are local practice rather than law, with their documented defaults. Operators set them in configuration
/// (<c>Handoff:Policy</c>), and per province or city under <c>Handoff:Policy:Regions:{prefix}</c> (a region prefix of 2, 4 or 6 digits,
/// e.g. <c>31</c> for 上海): a regional setting starts from the national ones and changes only what it names
/// (<see cref="WorkflowContext.PolicyFor"/>). The legal periods are fixed in <see cref="LegalPeriods"/>.
/// </summary>
public sealed record HandoffPolicy
{
    /// <summary>Days after the release notice for the receiving office to acknowledge it. Default 1; 1–30.</summary>
    public int AcknowledgementDays { get; init; } = 1;

    /// <summary>
    /// Days after the report for the agreement: our reading of "及时" in 戒毒条例 16, which gives no day count. Default 3; 1–30.
    /// </summary>
    public int AgreementDays { get; init; } = 3;

    /// <summary>How long an escalation waits at one level before it climbs to the next supervisor. Default 1 day; 1 minute – 30 days.</summary>
    public TimeSpan EscalationInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How far in the future a reported instant (releasedAt, reportedAt…) may lie, for clock skew. Default 5 minutes.</summary>
    public TimeSpan ClockSkewAllowance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Days before the release date that the centre (to record the release) and the receiving office and police station (to arrange the
    /// pickup, 出所必接) find a reminder in their inbox. Practice, not law. Default 1, the day before; 0 turns it off; 0–15.
    /// </summary>
    public int ReminderDaysBeforeRelease { get; init; } = 1;

    /// <summary>
    /// Days before the last day to report (戒毒条例 38: 15 days) that the receiving office finds a reminder in its inbox. Practice, not
    /// law. Default 3; 0 turns it off; 0–14.
    /// </summary>
    public int ReminderDaysBeforeReport { get; init; } = 3;

    /// <summary>
    /// Days from the decision's service for the deciding organ to deliver the person to the centre (禁毒法 41). No national figure was
    /// found (chain.md §1): policy. Counted without rolling over holidays, the person's liberty being restricted (程序规定 §35).
    /// Default 1; 1–30.
    /// </summary>
    public int DeliveryDays { get; init; } = 1;

    /// <summary>
    /// The most months a person stays in a public-security centre from intake before the transfer to a justice one: 6 (戒毒条例 27②),
    /// or up to 12 where the province has adopted a plan (27③). Default 6; 6–12.
    /// </summary>
    public int TransferMaxMonths { get; init; } = 6;

    /// <summary>Days from a transfer for the receiving justice centre to record the reception or refuse it. No national figure (chain.md §2):
    /// policy. Default 1; 1–15.</summary>
    public int ReceptionDays { get; init; } = 1;

    /// <summary>Days from the reception for the justice centre to tell the family in writing: 5 is reported practice of 司法部令第127号,
    /// its article not found (chain.md §2). Default 5; 1–30.</summary>
    public int ReceptionNoticeDays { get; init; } = 5;

    /// <summary>
    /// How many days before the release the centre sends the release notice: 3 by law (戒毒条例 34), more where a province says so
    /// (上海: 7 working days). Never fewer than the law's 3. Default 3; 3–30.
    /// </summary>
    public int ReleaseNoticeDays { get; init; } = LegalPeriods.ReleaseNoticeDays;

    /// <summary>Whether <see cref="ReleaseNoticeDays"/> are working days (the official 调休 schedules count). Default false: the national
    /// texts count calendar days (chain.md §0).</summary>
    public bool ReleaseNoticeInWorkingDays { get; init; }

    /// <summary>
    /// Days to report after a 社区戒毒 order's service or a change of place: the law's 15 (戒毒条例 14①, 22②), fewer where a province says
    /// so (浙江 §37: 2 days, at most 15 when far away — the office then records the report late with the reason). Default 15; 1–15.
    /// </summary>
    public int CommunityReportDays { get; init; } = LegalPeriods.CommunityReportDays;

    /// <summary>
    /// The longest the office may go without a test or an interview before the person counts as 失联 (脱失, chain.md §6: "no contact for N
    /// days"): no official figure was found. Default 30; 7–90.
    /// </summary>
    public int ContactDays { get; init; } = 30;

    /// <summary>Days between tests shown as due on the office's list: the police set the frequency (戒毒条例 19(二)); shown, not
    /// escalated. Default 30; 1–90.</summary>
    public int TestIntervalDays { get; init; } = 30;

    /// <summary>
    /// Days for the office to report a refusal or serious violation to the police: "及时" in 戒毒条例 21, no day count (chain.md §5). The
    /// default takes 重庆 §36's 3 working days for an office to tell its 公安, the nearest local figure, as 3 calendar days. 1–30.
    /// </summary>
    public int ViolationReportDays { get; init; } = 3;

    /// <summary>How many short of a threshold of 戒毒条例 20 (3 missed tests, 3 departures) the office is warned. Default 1; 0 turns it off; 0–2.</summary>
    public int ViolationWarningMargin { get; init; } = 1;

    /// <summary>
    /// Days to send a change of place's file after the person reported the move (戒毒条例 22: no day count): 重庆 §36 gives 3 working
    /// days. Default 3; 1–15.
    /// </summary>
    public int PlaceChangeFileDays { get; init; } = 3;

    /// <summary>Whether <see cref="PlaceChangeFileDays"/> are working days (重庆 §36). Default false.</summary>
    public bool PlaceChangeFileInWorkingDays { get; init; }

    /// <summary>
    /// Working days before the period's last day by which the office sends the agreement and its materials to the 公安机关 for the 解除
    /// (重庆 §37: 7 working days). No national rule: default 0, no such deadline; 0–15.
    /// </summary>
    public int EndMaterialsWorkingDays { get; init; }

    /// <summary>Whether the 7 days to tell the office of a 解除 (戒毒条例 23, 40) are working days (重庆 §37). Default false: the law's calendar days.</summary>
    public bool EndNoticeInWorkingDays { get; init; }

    /// <summary>
    /// Where these figures come from, as an official cites it (a local document's number, e.g. 梅州市禁毒办〔2026〕3号): every deadline set
    /// by policy names it beside its rule. Default: it says the figures are the system's defaults. One line, at most 100 characters.
    /// </summary>
    public string Source { get; init; } = "系统默认值，未配置依据";

    /// <summary>The rules broken by this policy, as (setting, rule) pairs; empty when valid.</summary>
    public IReadOnlyList<(string Setting, string Rule)> Validate()
    {
        var errors = new List<(string, string)>();
        if (AcknowledgementDays is < 1 or > 30)
        {
            errors.Add((nameof(AcknowledgementDays), "must be 1–30 days"));
        }

        if (AgreementDays is < 1 or > 30)
        {
            errors.Add((nameof(AgreementDays), "must be 1–30 days"));
        }

        if (EscalationInterval < TimeSpan.FromMinutes(1) || EscalationInterval > TimeSpan.FromDays(30))
        {
            errors.Add((nameof(EscalationInterval), "must be between 1 minute and 30 days"));
        }

        if (ClockSkewAllowance < TimeSpan.Zero || ClockSkewAllowance > TimeSpan.FromHours(1))
        {
            errors.Add((nameof(ClockSkewAllowance), "must be between 0 and 1 hour"));
        }

        if (string.IsNullOrWhiteSpace(Source) || Source.Length > 100 || Source.Any(char.IsControl))
        {
            errors.Add((nameof(Source), "must be one line of 1–100 characters"));
        }

        if (ReminderDaysBeforeRelease is < 0 or > 15)
        {
            errors.Add((nameof(ReminderDaysBeforeRelease), "must be 0–15 days"));
        }

        if (DeliveryDays is < 1 or > 30)
        {
            errors.Add((nameof(DeliveryDays), "must be 1–30 days"));
        }

        if (TransferMaxMonths is < 6 or > 12)
        {
            errors.Add((nameof(TransferMaxMonths), "must be 6–12 months (戒毒条例 27: 6, or at most 12 under a provincial plan)"));
        }

        if (ReceptionDays is < 1 or > 15)
        {
            errors.Add((nameof(ReceptionDays), "must be 1–15 days"));
        }

        if (ReceptionNoticeDays is < 1 or > 30)
        {
            errors.Add((nameof(ReceptionNoticeDays), "must be 1–30 days"));
        }

        if (ReleaseNoticeDays is < LegalPeriods.ReleaseNoticeDays or > 30)
        {
            errors.Add((nameof(ReleaseNoticeDays), "must be 3–30 days: never fewer than the law's 3 (戒毒条例 34)"));
        }

        foreach (var (setting, value, min, max) in new[]
                 {
                     (nameof(CommunityReportDays), CommunityReportDays, 1, LegalPeriods.CommunityReportDays),
                     (nameof(ContactDays), ContactDays, 7, 90),
                     (nameof(TestIntervalDays), TestIntervalDays, 1, 90),
                     (nameof(ViolationReportDays), ViolationReportDays, 1, 30),
                     (nameof(ViolationWarningMargin), ViolationWarningMargin, 0, 2),
                     (nameof(PlaceChangeFileDays), PlaceChangeFileDays, 1, 15),
                     (nameof(EndMaterialsWorkingDays), EndMaterialsWorkingDays, 0, 15),
                 })
        {
            if (value < min || value > max)
            {
                errors.Add((setting, $"must be {min}–{max}"));
            }
        }

        if (ReminderDaysBeforeReport is < 0 or > 14)
        {
            errors.Add((nameof(ReminderDaysBeforeReport), "must be 0–14 days"));
        }

        return errors;
    }
}
