using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Microsoft.DurableTask.Client;

namespace Handoff.Workflow;

/// <summary>One command, as every caller sends it: the API's endpoints and the pages alike.</summary>
/// <param name="Client">The engine's client (under Functions, the invocation's own).</param>
/// <param name="Caller">The organisation sending it (its credential is in <see cref="CaseCommand.By"/>).</param>
/// <param name="CaseId">The case (for a registration, the id the registration creates).</param>
/// <param name="IdempotencyKey">The caller's key: a repeat with it finds the first attempt and keeps its instant; null: none.</param>
/// <param name="Fingerprint">What the request said, so that the same key with another request is refused.</param>
/// <param name="ReceivedAt">The workflow instant the request was received: the step's legal time.</param>
public sealed record CommandRequest(
    DurableTaskClient Client, Organisation Caller, string CaseId, CaseCommand Command, string? IdempotencyKey, string Fingerprint, DateTimeOffset ReceivedAt);
