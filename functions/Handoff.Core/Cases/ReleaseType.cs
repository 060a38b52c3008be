namespace Handoff.Core.Cases;

public enum ReleaseType
{
    /// <summary>期满解除: the term ran out.</summary>
    Expiry,

    /// <summary>提前解除 (禁毒法 47②).</summary>
    Early,
}
