namespace Handoff.Core.Workflow;

/// <summary>
/// Numbers that are local practice rather than law, with their documented defaults. Operators set them in configuration
/// (<c>Handoff:Policy</c>); the legal periods are fixed in <see cref="LegalPeriods"/>.
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

        if (ReminderDaysBeforeReport is < 0 or > 14)
        {
            errors.Add((nameof(ReminderDaysBeforeReport), "must be 0–14 days"));
        }

        return errors;
    }
}
