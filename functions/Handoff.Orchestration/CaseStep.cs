using Handoff.Core.Cases;

namespace Handoff.Workflow;

/// <summary>
/// One step for a case's orchestration: a command from the API (raised as the external event <see cref="CaseOrchestration.StepEvent"/>,
/// or carried in the orchestration's input for a registration) or a timer's tick.
/// </summary>
/// <param name="CommandId">Unique per step and stable across retries (derived from the caller's <c>Idempotency-Key</c> when there is
/// one): the activity records it with the step's effects, so a duplicate is dropped.</param>
/// <param name="ReceivedAt">The workflow instant the API received the command (or the timer fired): the step's legal time.</param>
/// <param name="RequestHash">What the request said, for <c>Idempotency-Key</c> checks.</param>
/// <param name="ReservationKey">For a registration: the person reservation's pending row, confirmed when the case commits.</param>
public sealed record CaseStep(string CommandId, CaseCommand Command, DateTimeOffset ReceivedAt, string? RequestHash = null, string? ReservationKey = null);
