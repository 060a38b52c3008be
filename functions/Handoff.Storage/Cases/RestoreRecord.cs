using Azure;
using Azure.Data.Tables;

namespace Handoff.Storage.Cases;

/// <summary>
/// The reconciler's record of restoring a case's orchestration, in the case's partition under <c>restore</c> (apart from the case row,
/// which only the case's activity writes). Only failures count against the limit, and only those in a row without the case moving:
/// an orchestration that failed again at the same case version after being restored is failing for a reason a restore cannot cure.
/// A lost, terminated or completed-while-open orchestration says nothing about the case and never counts.
/// </summary>
/// <param name="Restores">Every restore, whatever the cause (for the operator).</param>
/// <param name="FailedInARow">Restores of a failed orchestration since the case last moved.</param>
/// <param name="AtVersion">The case version at the last restore.</param>
/// <param name="LastStatus">What the last restore found: Failed, Terminated, Completed, missing.</param>
/// <param name="LastFailure">The failed orchestration's error, kept for the operator before the new one replaces it.</param>
/// <param name="RestoredAt">When (real time).</param>
public sealed record RestoreRecord(int Restores, int FailedInARow, int AtVersion, string LastStatus, string? LastFailure, DateTimeOffset RestoredAt)
{
    public ETag ETag { get; init; }

    internal TableEntity Write(string caseId, string rowKey) => new(caseId, rowKey)
    {
        ["Restores"] = Restores,
        ["FailedInARow"] = FailedInARow,
        ["AtVersion"] = AtVersion,
        ["LastStatus"] = LastStatus,
        ["LastFailure"] = LastFailure is { Length: > 16_000 } f ? f[..16_000] : LastFailure,
        ["RestoredAt"] = RestoredAt,
    };

    internal static RestoreRecord Read(TableEntity row) => new(
        row.GetInt32("Restores") ?? 0, row.GetInt32("FailedInARow") ?? 0, row.GetInt32("AtVersion") ?? 0,
        row.GetString("LastStatus") ?? "", row.GetString("LastFailure"), row.GetDateTimeOffset("RestoredAt") ?? default)
    {
        ETag = row.ETag,
    };
}
