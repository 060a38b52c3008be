namespace Handoff.Storage.Queues;

/// <summary>
/// A durable wake-up for one case. Only the message whose <see cref="Token"/> the case row names is live; a message sent for a
/// commit that has not landed yet carries the <see cref="Version"/> that commit will produce, so it is not mistaken for a stale one.
/// </summary>
public sealed record WakeUpMessage(string CaseId, string Token, int Version);
