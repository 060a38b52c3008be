using Azure;
using Handoff.Core.Cases;

namespace Handoff.Storage.Cases;

/// <summary>The case row as stored: the state the case's orchestration last applied, and its version.</summary>
/// <param name="Version">Incremented by every step that appends events.</param>
/// <param name="ETag">The row's ETag: every write of a step is conditional on it.</param>
public sealed record CaseRecord(Case State, int Version, ETag ETag);
