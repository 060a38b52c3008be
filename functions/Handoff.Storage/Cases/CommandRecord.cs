using Azure;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Workflow;

namespace Handoff.Storage.Cases;

/// <summary>
/// One step of a case — a command or a timer's tick — in the case's partition under <c>c{commandId}</c>: the case's inbox and the
/// record of what became of each step.
/// <list type="bullet">
/// <item>The API writes a command as <see cref="CommandStatus.Accepted"/> before anything is raised (an insert: a retry with the same
/// <c>Idempotency-Key</c> finds the row and keeps its first <see cref="ReceivedAt"/>). The row is the truth; the orchestration's event
/// only says that something is waiting.</item>
/// <item>The case's activity decides it at <see cref="ReceivedAt"/>, its legal time, and commits the row as applied or refused in the
/// same transaction as the case row and its history rows; a step is therefore decided exactly once.</item>
/// <item>Once its notices, lists and figures are written the row is <see cref="Published"/>: the API's caller then reads the step
/// everywhere. Until then it keeps its notices, so a retry after a crash delivers exactly those.</item>
/// </list>
/// </summary>
public sealed record CommandRecord
{
    public static string RowKeyFor(string commandId) => "c" + commandId;

    public required string CommandId { get; init; }

    /// <summary>The command's type (<c>RecordReport</c>, <c>Tick</c>…).</summary>
    public required string Command { get; init; }

    /// <summary>The instant the API received the command (or the tick's instant): the step's legal time.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    public CommandStatus Status { get; init; }

    /// <summary>The organisation that sent it (<c>system</c> for ticks): who may read its outcome before its case exists.</summary>
    public string? SentBy { get; init; }

    /// <summary>What the request said, for an <c>Idempotency-Key</c>: the same key with another request is refused.</summary>
    public string? RequestHash { get; init; }

    /// <summary>The command itself, while it waits; dropped once published.</summary>
    public CaseCommand? Payload { get; init; }

    /// <summary>Why the stored payload could not be read (it is then refused with <c>internal-error</c>).</summary>
    public string? PayloadError { get; init; }

    /// <summary>The case version after the step (applied), or when it was refused.</summary>
    public int Version { get; init; }

    /// <summary>Why the step was refused.</summary>
    public Rejection? Rejection { get; init; }

    /// <summary>The notices the step decided, until they are delivered.</summary>
    public IReadOnlyList<Notice> Notices { get; init; } = [];

    /// <summary>The step's effects outside the case's partition — notices, lists, figures, reservation — are written too.</summary>
    public bool Published { get; init; }

    /// <summary>
    /// The case's next due instant before the step: the due-index row a retry that re-publishes the step after a crash must remove (it no
    /// longer has the case as it was).
    /// </summary>
    public DateTimeOffset? DueBefore { get; init; }

    /// <summary>A registration's pending-reservation row (<see cref="PersonReservations"/>), removed once the registration is decided.</summary>
    public string? ReservationKey { get; init; }

    /// <summary>The run of the case's activity that decided the step (see <c>ApplyPendingRequest.Run</c>); null for runs that mark
    /// their steps published themselves.</summary>
    public string? Run { get; init; }

    public ETag ETag { get; init; }

    /// <summary>Still in the inbox: waiting to be decided, or decided and not yet published.</summary>
    public bool Open => Status == CommandStatus.Accepted || !Published;

    /// <summary>A command that opens a person's file (<see cref="OpenCase"/>): it reserves the person before its case exists.</summary>
    public bool IsRegistration => OpeningCommands.Contains(Command);

    private static readonly HashSet<string> OpeningCommands = typeof(OpenCase).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(OpenCase).IsAssignableFrom(t)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>A command received by the API, as it is written to the inbox.</summary>
    public static CommandRecord Accepted(string commandId, CaseCommand command, DateTimeOffset receivedAt, string? requestHash, string? reservationKey = null) => new()
    {
        CommandId = commandId,
        Command = command.GetType().Name,
        ReceivedAt = receivedAt,
        Status = CommandStatus.Accepted,
        SentBy = command.By.OrganisationId,
        RequestHash = requestHash,
        Payload = command,
        ReservationKey = reservationKey,
    };
}
