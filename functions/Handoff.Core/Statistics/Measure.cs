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
    /// <summary>
    /// 执行率 (chain.md §6; no official formula found — ours): of the community orders served at least the report period ago (社区戒毒
    /// orders, and 社区康复 ordered at a release that happened), how many reported and signed the agreement. A period suspended, terminated
    /// (a sentence, a compulsory measure, death) or ended by a new 强制隔离戒毒 decision is left out of both.
    /// </summary>
    Execution,
    /// <summary>A refusal or serious violation reported to the police in time (戒毒条例 21 "及时"; the period is policy).</summary>
    ViolationReport,
    /// <summary>The 解除 notice served and the office told within 7 days of the expiry (戒毒条例 23, 40).</summary>
    EndNotice,
}
