namespace Handoff.Workflow;

/// <summary>The input of the activity that decides and writes one step (its implementation is <c>ApplyStepActivity</c> in Handoff.Workflow).</summary>
public sealed record ApplyStepRequest(string CaseId, CaseStep Step)
{
    /// <summary>The activity's name, in both hosts.</summary>
    public const string ActivityName = "ApplyStep";
}
