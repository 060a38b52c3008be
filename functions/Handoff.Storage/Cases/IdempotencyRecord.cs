namespace Handoff.Storage.Cases;

/// <summary>
/// What a command with an <c>Idempotency-Key</c> did, kept in the case's partition and written in the same transaction as the change.
/// </summary>
/// <param name="RowKey">Derived from the caller and the key.</param>
/// <param name="RequestHash">SHA-256 of the command; the same key with a different request is refused.</param>
/// <param name="Version">The case version the command produced.</param>
public sealed record IdempotencyRecord(string RowKey, string RequestHash, string Command, int Version);
