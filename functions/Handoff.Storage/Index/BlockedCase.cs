namespace Handoff.Storage.Index;

/// <summary>A case whose orchestration cannot apply its steps for now (its activity failed all its retries): what an operator sees.</summary>
/// <param name="Since">When its activity first failed past its retries (real time, UTC).</param>
/// <param name="Failures">How many rounds of retries have failed since.</param>
/// <param name="Error">The last error (exception type and message of our own code; no personal data).</param>
/// <param name="NextTryAt">When the orchestration tries again (real time, UTC).</param>
public sealed record BlockedCase(string CaseId, DateTimeOffset Since, int Failures, string Error, DateTimeOffset NextTryAt);
