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

        return errors;
    }
}
