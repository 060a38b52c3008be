namespace Handoff.Workflow;

/// <summary>The input of the activity that lists a blocked case for the operator (<paramref name="Blocked"/>) or unlists it (null).</summary>
public sealed record NoteBlockedRequest(string CaseId, BlockedStatus? Blocked)
{
    /// <summary>The activity's name, in both hosts.</summary>
    public const string ActivityName = "NoteBlocked";
}
