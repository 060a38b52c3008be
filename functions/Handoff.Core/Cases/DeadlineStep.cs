namespace Handoff.Core.Cases;

/// <summary>The steps that carry a deadline.</summary>
public enum DeadlineStep
{
    /// <summary>The centre notifies 3 days before release (戒毒条例 34).</summary>
    Notice,

    /// <summary>The receiving office acknowledges the notice (policy).</summary>
    Acknowledgement,

    /// <summary>The centre records the release by 24:00 of the release date.</summary>
    Release,

    /// <summary>The person reports to the office within 15 days (戒毒条例 38).</summary>
    Report,

    /// <summary>The office signs the agreement "及时" after the report (戒毒条例 16; the day count is policy).</summary>
    Agreement,
}
