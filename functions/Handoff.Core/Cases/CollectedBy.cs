namespace Handoff.Core.Cases;

/// <summary>Who collected the person; <paramref name="Name"/> is required unless nobody came.</summary>
public sealed record CollectedBy(CollectorKind Kind, string? Name);
