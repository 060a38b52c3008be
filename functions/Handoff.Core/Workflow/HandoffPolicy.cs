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

        if (ReminderDaysBeforeReport is < 0 or > 14)
        {
            errors.Add((nameof(ReminderDaysBeforeReport), "must be 0–14 days"));
        }

        return errors;
    }
}
