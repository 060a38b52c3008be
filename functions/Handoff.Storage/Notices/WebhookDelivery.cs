using Handoff.Core.Notices;

namespace Handoff.Storage.Notices;

/// <summary>A queued webhook delivery; the pump keeps its failure count beside it.</summary>
public sealed record WebhookDelivery(Notice Notice);
