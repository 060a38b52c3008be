namespace Handoff.Soak;

/// <summary>The counts a soak prints; every one must be 0. Each keeps its first few examples for the report.</summary>
public sealed class Counts
{
    public Finding NotInExpectedState { get; } = new("cases not in their expected final state");

    public Finding NoticesMissing { get; } = new("notices decided but never in the recipient's inbox");

    public Finding NoticesDoubled { get; } = new("notices in a recipient's inbox more than once");

    public Finding NoticesUnexpected { get; } = new("notices in an inbox that no case history decided");

    public Finding WithoutOrchestration { get; } = new("open cases with no running orchestration, or due and not acted on");

    public Finding IndexDrift { get; } = new("cases whose index rows differ from the case");

    public Finding EarlyEscalations { get; } = new("escalations opened (or climbed) before their deadline");

    public Finding FalseEscalations { get; } = new("steps answered before their deadline but escalated or recorded missed");

    public Finding LostCommands { get; } = new("commands still accepted, never decided (lost): command rows with Status 'Accepted'");

    public Finding OpenCommands { get; } = new("commands decided by an earlier activity call of their case but still open (never published): command rows with Open true");

    public Finding Blocked { get; } = new("cases blocked at the end (CaseIndex partition 'blocked')");

    public Finding Waiting { get; } = new("cases still noted as waiting on their orchestration at the end (CaseIndex partition 'waiting')");

    public Finding BlockedHealth { get; } = new("cases blocked at the end as /healthz lists them (blocked.count, operator key)");

    public Finding Reservations { get; } = new("person reservations not matching their cases");

    /// <summary>Not a defect, not in <see cref="Total"/>: steps a script meant to send on time that an outage delayed past their deadline.</summary>
    public Finding LateByOutage { get; } = new("steps the scripts sent on time were answered only after their deadline (an outage longer than the slack)");

    /// <summary>Whether a running process answered <c>/healthz</c> with its blocked list at this check (else only the CaseIndex rows counted).</summary>
    public bool HealthRead { get; set; }

    public IReadOnlyList<Finding> All =>
    [
        NotInExpectedState, NoticesMissing, NoticesDoubled, NoticesUnexpected, WithoutOrchestration, IndexDrift, EarlyEscalations,
        FalseEscalations, LostCommands, OpenCommands, Blocked, Waiting, BlockedHealth, Reservations,
    ];

    public int Total => All.Sum(f => f.Count);

    public void Add(Finding finding, string example) => finding.Add(example);

    public string Summary => string.Join(", ", All.Where(f => f.Count > 0).Select(f => $"{f.Count} {f.Title}"));
}

/// <summary>One count and its first examples.</summary>
public sealed class Finding(string title)
{
    private const int MaxExamples = 8;
    private readonly List<string> _examples = [];

    public string Title => title;

    public int Count { get; private set; }

    public IReadOnlyList<string> Examples => _examples;

    public void Add(string example)
    {
        Count++;
        if (_examples.Count < MaxExamples)
        {
            _examples.Add(example);
        }
    }
}
