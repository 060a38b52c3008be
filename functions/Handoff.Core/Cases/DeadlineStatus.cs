namespace Handoff.Core.Cases;

public enum DeadlineStatus
{
    Open,
    Met,
    Missed,

    /// <summary>No longer owed: the release was cancelled.</summary>
    Withdrawn,
}
