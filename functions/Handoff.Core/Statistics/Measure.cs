namespace Handoff.Core.Statistics;

/// <summary>The on-time rates a supervisor is measured on.</summary>
public enum Measure
{
    /// <summary>The release notice at least 3 days ahead (戒毒条例 34): the releasing centre's.</summary>
    Notice,
    /// <summary>The receiving office acknowledged in time (policy).</summary>
    Acknowledgement,
    /// <summary>Someone collected the person at the gate (出所必接): counted against the receiving side.</summary>
    Collection,
    /// <summary>The person reported within 15 days (戒毒条例 38): 报到率.</summary>
    Report,
    /// <summary>The agreement signed in time after the report (戒毒条例 16).</summary>
    Agreement,
}
