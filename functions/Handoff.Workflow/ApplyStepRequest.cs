namespace Handoff.Workflow;

/// <summary>The <see cref="ApplyStepActivity"/>'s input.</summary>
public sealed record ApplyStepRequest(string CaseId, CaseStep Step);
