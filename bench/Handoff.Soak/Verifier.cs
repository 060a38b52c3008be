using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using Handoff.Storage.Index;

namespace Handoff.Soak;

/// <summary>
/// The checks, each a count that must be 0 once the system has converged. The expectations come from the scripts (what each case
/// must end as, and when its steps were answered) and from each case's own history (which notices, which index rows, which
/// escalation times it implies) — replayed with the core's own Evolve and NoticeComposer, so what is checked is delivery and
/// bookkeeping, not the rules themselves.
/// </summary>
public sealed class Verifier(OrganisationDirectory directory, SoakClock clock, TimeSpan grace, TimeSpan escalationInterval)
{
    /// <summary>How long past a case's due instant (and the grace) a running orchestration may take to act before it counts.</summary>
    private static readonly TimeSpan ActTolerance = TimeSpan.FromSeconds(30);

    /// <summary>The reconciler's reservation timeout (10 minutes) and two sweeps.</summary>
    private static readonly TimeSpan PendingLimit = TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(30);

    private static readonly string[] LiveStatuses = ["Running", "Pending", "Suspended"];

    /// <summary>The CaseIndex partition of blocked cases (counted apart).</summary>
    private const string BlockedPartition = "blocked";

    /// <summary>The CaseIndex partition of cases with a command waiting on their orchestration (counted apart).</summary>
    private const string WaitingPartition = "waiting";

    public Counts Check(IReadOnlyList<CaseScript> scripts, StorageSnapshot snapshot)
    {
        var counts = new Counts();
        var byCase = scripts.ToDictionary(s => s.CaseId, StringComparer.Ordinal);
        foreach (var script in scripts)
        {
            CheckFinalState(script, snapshot, counts);
        }

        foreach (var data in snapshot.Cases.Values)
        {
            if (!byCase.ContainsKey(data.CaseId))
            {
                counts.Add(counts.NotInExpectedState, $"{data.CaseId}: a case no script registered");
            }

            CheckEscalationTimes(data, byCase.GetValueOrDefault(data.CaseId), counts);
            CheckOrchestration(data, snapshot, counts);
            foreach (var accepted in data.Accepted)
            {
                counts.Add(counts.LostCommands, $"{data.CaseId}: command row {accepted} never decided");
            }

            foreach (var open in data.DecidedOpen)
            {
                counts.Add(counts.OpenCommands, $"{data.CaseId}: command row {open} decided but never published");
            }
        }

        foreach (var blocked in snapshot.Index.Where(r => r.PartitionKey == BlockedPartition))
        {
            counts.Add(counts.Blocked, $"{blocked.RowKey}: blocked since {blocked.GetDateTimeOffset("Since"):O}, {blocked.GetInt32("Failures")} rounds failed, "
                + $"next try {blocked.GetDateTimeOffset("NextTryAt"):O}: {blocked.GetString("Error")}");
        }

        foreach (var waiting in snapshot.Index.Where(r => r.PartitionKey == WaitingPartition))
        {
            counts.Add(counts.Waiting, $"{waiting.RowKey}: noted waiting since {waiting.GetDateTimeOffset("Since"):O}");
        }

        counts.HealthRead = snapshot.HealthBlocked is not null;
        if (snapshot.HealthBlocked is { } health)
        {
            for (var i = 0; i < health.Count; i++)
            {
                counts.Add(counts.BlockedHealth, i < health.Cases.Count ? $"/healthz lists {health.Cases[i]} as blocked" : $"/healthz counts {health.Count} blocked");
            }
        }

        CheckNotices(snapshot, counts);
        CheckIndex(snapshot, counts);
        CheckReservations(snapshot, counts);
        return counts;
    }

    private void CheckFinalState(CaseScript script, StorageSnapshot snapshot, Counts counts)
    {
        var id = $"{script.CaseId} ({script.Path} #{script.Number})";
        if (script.Error is not null)
        {
            counts.Add(counts.NotInExpectedState, $"{id}: the script could not follow its path: {script.Error}");
            return;
        }

        if (!snapshot.Cases.TryGetValue(script.CaseId, out var data) || data.State is not { } c)
        {
            counts.Add(counts.NotInExpectedState, $"{id}: no case row (lost)");
            return;
        }

        var problems = new List<string>();
        var expected = CasePaths.FinalState(script.Path);
        if (c.State != expected)
        {
            problems.Add($"state {c.State}, expected {expected}");
        }

        if (data.History.Count == 0 || JsonSerializer.Serialize(CaseWorkflow.Fold(data.History), CoreJson.Options) != data.StateJson)
        {
            problems.Add("its history does not fold to its case row");
        }

        var provoked = CasePaths.Provoked(script.Path);
        if (provoked is { } kind && c.Escalations.All(e => e.Kind != kind))
        {
            problems.Add($"no {CaseScript.Kebab(kind)} escalation");
        }

        foreach (var e in c.Escalations)
        {
            var mayStayOpen = script.Path == CasePath.NeverReported && e.Kind == EscalationKind.NotReported;
            if (mayStayOpen)
            {
                var top = 1 + directory.SupervisorLadder(directory.Find(c.OfficeId)!.Region, OrganisationKind.CommunityOffice).Count;
                if (e.Status != EscalationStatus.Open || e.Level != top || e.NextClimbAt is not null)
                {
                    problems.Add($"{e.Id} {CaseScript.Kebab(e.Kind)} is {e.Status} at level {e.Level}, expected open at the top (level {top})");
                }
            }
            else if (e.Status != EscalationStatus.Resolved)
            {
                problems.Add($"{e.Id} {CaseScript.Kebab(e.Kind)} still {e.Status}");
            }

            if (e.Kind is EscalationKind.NotCollected or EscalationKind.LateNotice && e.Kind != provoked)
            {
                problems.Add($"an unexpected {CaseScript.Kebab(e.Kind)} escalation");
            }
        }

        if (problems.Count > 0)
        {
            counts.Add(counts.NotInExpectedState, $"{id}: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// Replays the history: an escalation for a missed deadline must open at or after the deadline as it stood then, and climb one
    /// level per interval from it, never earlier; and a step the API answered before its deadline must not have been escalated or
    /// recorded as missed.
    /// </summary>
    private void CheckEscalationTimes(CaseData data, CaseScript? script, Counts counts)
    {
        var deadlines = new Dictionary<DeadlineStep, Deadline>();
        var anchors = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var e in data.History)
        {
            switch (e)
            {
                case DeadlineSet set:
                    deadlines[set.Deadline.Step] = set.Deadline;
                    break;
                case EscalationOpened opened:
                    var step = StepOf(opened.Kind);
                    if (step is { } s && deadlines.TryGetValue(s, out var due))
                    {
                        anchors[opened.EscalationId] = due.DueAt;
                        if (opened.At < due.DueAt)
                        {
                            counts.Add(counts.EarlyEscalations, $"{opened.EscalationId} {CaseScript.Kebab(opened.Kind)} opened at {opened.At:O}, before its deadline {due.DueAt:O}");
                        }

                        var answered = script?.Steps.LastOrDefault(r => r.Completes == s);
                        if (answered is not null && answered.AnsweredAt < due.DueAt)
                        {
                            counts.Add(counts.FalseEscalations,
                                $"{opened.EscalationId} {CaseScript.Kebab(opened.Kind)}: the step was answered at {answered.AnsweredAt:O}, before its deadline {due.DueAt:O}");
                        }
                    }
                    else if (opened.Kind != EscalationKind.LateNotice)
                    {
                        // A late notice is told to the centre's supervisor at once (it cannot be remedied): no ladder to time.
                        anchors[opened.EscalationId] = opened.At;
                    }

                    break;
                case EscalationClimbed climbed when anchors.TryGetValue(climbed.EscalationId, out var anchor):
                    var earliest = anchor + (escalationInterval * (climbed.Level - 1));
                    if (climbed.At < earliest)
                    {
                        counts.Add(counts.EarlyEscalations, $"{climbed.EscalationId} climbed to level {climbed.Level} at {climbed.At:O}, before {earliest:O}");
                    }

                    break;
            }
        }

        if (script is null || data.State is not { } c)
        {
            return;
        }

        foreach (var answered in script.Steps.Where(r => r.Completes is not null))
        {
            var deadline = c.DeadlineFor(answered.Completes!.Value);
            if (deadline is { Status: DeadlineStatus.Missed } && answered.AnsweredAt < deadline.DueAt)
            {
                counts.Add(counts.FalseEscalations, $"{c.CaseId}: {answered.Name} answered at {answered.AnsweredAt:O}, before {deadline.DueAt:O}, but recorded as missed");
            }
            else if (deadline is not null && answered.AnsweredAt >= deadline.DueAt && !MeantLate(script.Path, answered.Completes.Value))
            {
                counts.Add(counts.LateByOutage, $"{c.CaseId} ({script.Path}): {answered.Name} answered at {answered.AnsweredAt:O}, after {deadline.DueAt:O}");
            }
        }
    }

    private void CheckOrchestration(CaseData data, StorageSnapshot snapshot, Counts counts)
    {
        if (data.State is not { IsClosed: false } c)
        {
            return;
        }

        var status = snapshot.Instances.GetValueOrDefault(c.CaseId, "missing");
        if (!LiveStatuses.Contains(status))
        {
            counts.Add(counts.WithoutOrchestration, $"{c.CaseId} {c.State}: open, orchestration {status}");
        }
        else if (CaseWorkflow.NextDueAt(c) is { } due && clock.Clock.ToReal(due) + grace + ActTolerance < TimeProvider.System.GetUtcNow())
        {
            counts.Add(counts.WithoutOrchestration, $"{c.CaseId} {c.State}: due at {due:O}, not acted on (orchestration {status})");
        }
    }

    private void CheckNotices(StorageSnapshot snapshot, Counts counts)
    {
        var expected = new Dictionary<(string Recipient, string Id), Notice>();
        foreach (var data in snapshot.Cases.Values)
        {
            Case? state = null;
            foreach (var e in data.History)
            {
                state = CaseWorkflow.Evolve(state, e);
                foreach (var n in NoticeComposer.Compose(e, state, directory))
                {
                    expected[(n.RecipientId, n.Id)] = n;
                }
            }
        }

        var delivered = snapshot.Inbox.GroupBy(r => (Recipient: r.PartitionKey, Id: r.GetString("NoticeId") ?? "?")).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (key, n) in expected)
        {
            if (!delivered.ContainsKey(key))
            {
                counts.Add(counts.NoticesMissing, $"{key.Id} ({n.Kind}) never reached {key.Recipient}");
            }
        }

        foreach (var (key, n) in delivered)
        {
            if (n > 1)
            {
                counts.Add(counts.NoticesDoubled, $"{key.Id} is in {key.Recipient}'s inbox {n} times");
            }

            if (!expected.ContainsKey(key))
            {
                counts.Add(counts.NoticesUnexpected, $"{key.Id} in {key.Recipient}'s inbox, but no case history decided it");
            }
        }
    }

    private void CheckIndex(StorageSnapshot snapshot, Counts counts)
    {
        // A closed case keeps one closing note (!closed_{caseId}) in its home province's closed partition until the reconciler clears its
        // command rows; an open case with something due has one due row (!due_{ticks}_{caseId}) in its home province's open partition; a
        // blocked or waiting case's row is counted apart (Check).
        var rowsByCase = snapshot.Index.Where(r => r.PartitionKey is not BlockedPartition and not WaitingPartition)
            .GroupBy(r => r.RowKey[(r.RowKey.LastIndexOf('_') + 1)..], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var (caseId, rows) in rowsByCase)
        {
            if (!snapshot.Cases.TryGetValue(caseId, out var data) || data.State is null)
            {
                counts.Add(counts.IndexDrift, $"{caseId}: {rows.Count} index rows for a case that does not exist");
            }
        }

        foreach (var data in snapshot.Cases.Values)
        {
            if (data.State is not { } c)
            {
                continue;
            }

            var summary = JsonSerializer.SerializeToNode(CaseSummary.From(c), CoreJson.Options);
            var expected = CaseAccess.Regions(c, directory)
                .Select(r => (Partition: CaseIndexStore.Partition(c.IsClosed, r.Province), Row: $"{r.Value}_{c.CaseId}"))
                .ToHashSet();
            var home = CaseAccess.Regions(c, directory).Select(r => r.Province).Order(StringComparer.Ordinal).First();
            if (!c.IsClosed && CaseWorkflow.NextDueAt(c) is { } due)
            {
                expected.Add((CaseIndexStore.Partition(false, home), CaseIndexStore.DueRowKey(due, c.CaseId)));
            }

            var all = rowsByCase.GetValueOrDefault(c.CaseId) ?? [];
            var retention = all.Where(r => r.RowKey.StartsWith("!closed_", StringComparison.Ordinal)).ToList();
            var actual = all.Where(r => !r.RowKey.StartsWith("!closed_", StringComparison.Ordinal)).ToList();
            var problems = new List<string>();
            if (c.IsClosed ? retention.Count != 1 || retention[0].PartitionKey != CaseIndexStore.Partition(true, home) : retention.Count != 0)
            {
                problems.Add($"{retention.Count} closing notes for a case that is {(c.IsClosed ? "closed (expected 1, in its home province's closed partition)" : "open (expected none)")}");
            }

            foreach (var missing in expected.Where(k => actual.All(r => (r.PartitionKey, r.RowKey) != k)))
            {
                problems.Add($"missing {missing.Partition}/{missing.Row}");
            }

            foreach (var row in actual)
            {
                if (!expected.Contains((row.PartitionKey, row.RowKey)))
                {
                    problems.Add($"stale {row.PartitionKey}/{row.RowKey}");
                }
                else if (!row.RowKey.StartsWith('!') && !JsonNode.DeepEquals(JsonNode.Parse(StorageSnapshot.Text(row, "Summary")), summary))
                {
                    problems.Add($"{row.PartitionKey}/{row.RowKey} shows {row.GetString("State")}, the case is {c.State} (v{c.EventCount} events)");
                }
            }

            if (problems.Count > 0)
            {
                counts.Add(counts.IndexDrift, $"{c.CaseId}: {string.Join("; ", problems)}");
            }
        }
    }

    private static void CheckReservations(StorageSnapshot snapshot, Counts counts)
    {
        var held = snapshot.Persons.Where(r => r.RowKey == "open").ToDictionary(r => r.PartitionKey, r => r.GetString("CaseId"), StringComparer.Ordinal);
        foreach (var data in snapshot.Cases.Values)
        {
            if (data.State is not { } c)
            {
                continue;
            }

            var holder = held.GetValueOrDefault(c.Person.IdNumberLookup);
            if (!c.IsClosed && holder != c.CaseId)
            {
                counts.Add(counts.Reservations, $"{c.CaseId}: open, but its person is held by {holder ?? "nobody"}");
            }
            else if (c.IsClosed && holder == c.CaseId)
            {
                counts.Add(counts.Reservations, $"{c.CaseId}: closed, but still holds its person");
            }
        }

        // A registration retried with its key writes a second pending row that its orchestration never confirms (it carries the
        // first one's key); the reconciler confirms such rows once they are older than its reservation timeout (10 minutes). Only a
        // pending row older than that, and a sweep or two, is wrong.
        var stale = TimeProvider.System.GetUtcNow() - PendingLimit;
        foreach (var pending in snapshot.Persons.Where(r => r.PartitionKey == "pending"))
        {
            if (long.TryParse(pending.RowKey.Split('_')[0], CultureInfo.InvariantCulture, out var ticks) && new DateTimeOffset(ticks, TimeSpan.Zero) < stale)
            {
                counts.Add(counts.Reservations, $"reservation {pending.RowKey} for {pending.GetString("CaseId")} still pending");
            }
        }
    }

    private static bool MeantLate(CasePath path, DeadlineStep step) => (path, step) switch
    {
        (CasePath.LateAcknowledgement, DeadlineStep.Acknowledgement) => true,
        (CasePath.LateRelease, DeadlineStep.Release) => true,
        (CasePath.LateReport, DeadlineStep.Report) => true,
        _ => false,
    };

    private static DeadlineStep? StepOf(EscalationKind kind) => kind switch
    {
        EscalationKind.NotAcknowledged => DeadlineStep.Acknowledgement,
        EscalationKind.ReleaseNotRecorded => DeadlineStep.Release,
        EscalationKind.NotReported => DeadlineStep.Report,
        EscalationKind.NoAgreement => DeadlineStep.Agreement,
        _ => null,
    };
}
