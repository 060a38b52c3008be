namespace Handoff.Core.Cases;

/// <summary>Who collected the person at the gate (出所必接 / 领回, 戒毒条例 34).</summary>
public enum CollectorKind
{
    Family,
    Police,
    Office,

    /// <summary>Nobody came: opens a <c>not-collected</c> escalation at once.</summary>
    None,
}
