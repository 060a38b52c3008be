using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Index;

/// <summary>
/// The CaseIndex table, the read model behind every list:
/// <list type="bullet">
/// <item>one row per case for each distinct region of its organisations, PartitionKey = <c>o</c> or <c>c</c> (open, closed) and the
/// province (2 digits), RowKey = <c>{region6}_{caseId}</c>: a supervisor's scope prefix (2, 4 or 6 digits) is a row range in one
/// partition and an organisation's cases are a range at its own region — no query scans the table, and open cases are never paged
/// past closed ones;</item>
/// <item>one row per open case with something due, in the open partition of the case's home province (the lowest of its
/// organisations' provinces), RowKey = <c>!due_{ticks of the due instant}_{caseId}</c>: the reconciler reads only the cases overdue by
/// more than its grace, one range per province; and since it sits beside the case's list rows, a step that moves the due instant
/// writes it in the same transaction as them;</item>
/// <item>one row per closed case whose command rows are still kept, in the closed partition of its home province, RowKey =
/// <c>!closed_{caseId}</c> with the instant it closed, written with the closed list rows (a step written again rewrites the same row):
/// the reconciler's full pass clears the command rows past their retention, one range per province;</item>
/// <item>one row per blocked case (its activity failed past its retries and its orchestration waits to try again), PartitionKey =
/// <c>blocked</c>, RowKey = case id: what <c>/healthz</c> lists for the operator, removed when the case applies again;</item>
/// <item>one row per case whose running orchestration has left a command waiting (a command answered 202, or an overdue case the
/// reconciler nudged), PartitionKey = <c>waiting</c>, RowKey = case id, with the real instant it was first seen waiting: the reconciler
/// looks at these on every sweep, restarts an orchestration that stays deaf past its stall limit, and removes the row once the case has
/// nothing waiting.</item>
/// </list>
/// (<c>!</c> sorts before the digits of a region, so a region's range never meets these rows.) Written by the case's activity after
/// each step: one transaction per province of the case, two when it closes. Idempotent (upserts and deletes of keys derived from the
/// case).
/// </summary>
public sealed class CaseIndexStore(StorageClients clients, OrganisationDirectory directory)
{
    private const string BlockedPartition = "blocked";
    private const string WaitingPartition = "waiting";
    private const string DuePrefix = "!due_";
    private const string ClosedPrefix = "!closed_";
    private readonly TableClient _table = clients.Table(StorageNames.CaseIndexTable);

    public static string Partition(bool closed, string province) => (closed ? "c" : "o") + province;

    public static string DueRowKey(DateTimeOffset dueAt, string caseId) => $"{DuePrefix}{dueAt.UtcTicks:D19}_{caseId}";

    public static string ClosedRowKey(string caseId) => ClosedPrefix + caseId;

    /// <summary>The province whose partitions hold the case's due row and closing note: the lowest of its organisations' provinces.</summary>
    public string HomeProvince(Case c) => CaseAccess.Regions(c, directory).Select(r => r.Province).Order(StringComparer.Ordinal).First();

    /// <summary>
    /// Writes the case's rows as it now stands, removing those of <paramref name="before"/> that no longer apply: per province one
    /// transaction (list rows, and in the home province the due row moved), and when the case closed one more for the open rows it leaves.
    /// </summary>
    /// <param name="duesBefore">Without <paramref name="before"/> (steps written again after a crash): every due instant the case may
    /// have been published with since — the one before the steps and the one after each but the last (an earlier attempt published the
    /// case as it stood then) — whose due rows must go; a row already gone costs one delete of its own.</param>
    /// <param name="closedAt">When the case closed (the closing step's instant): its note for the command rows' retention.</param>
    public async Task UpsertAsync(
        Case c, Case? before, IReadOnlyCollection<DateTimeOffset>? duesBefore = null, DateTimeOffset? closedAt = null, CancellationToken cancellationToken = default)
    {
        var summary = CaseSummary.From(c);
        var json = JsonSerializer.Serialize(summary, CoreJson.Options);
        var home = HomeProvince(c);
        var due = c.IsClosed ? null : CaseWorkflow.NextDueAt(c);
        var dueWas = before is null || before.IsClosed ? null : CaseWorkflow.NextDueAt(before);
        var gone = (before is null ? duesBefore ?? [] : dueWas is { } was ? [was] : []).Where(d => d != due).Distinct().ToList();

        // A case that closed moves partitions. Without its previous state (a step written again after a crash) a closed case deletes
        // its open rows anyway: they may be gone already.
        var left = before is null ? c.IsClosed : before.IsClosed != c.IsClosed;
        foreach (var province in CaseAccess.Regions(c, directory).GroupBy(r => r.Province))
        {
            var writes = province.Select(region =>
            {
                var row = new TableEntity(Partition(c.IsClosed, province.Key), $"{region.Value}_{c.CaseId}")
                {
                    ["CaseId"] = c.CaseId,
                    ["State"] = summary.State,
                    ["Overdue"] = summary.Overdue,
                    ["OpenEscalations"] = summary.Escalations.Count(e => e.Status == EscalationStatus.Open),
                    ["NextDueAt"] = summary.NextDueAt,
                    // The keyed hash of the identity number (never the number): a search by number is an equality filter on it.
                    ["Lookup"] = c.Person.IdNumberLookup,
                };
                LargeText.Write(row, "Summary", json);
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
            }).ToList();
            var openDeletes = new List<TableEntity>();
            if (province.Key == home)
            {
                // Written again when steps are (an earlier attempt may have moved it away and back).
                if (due is not null && (before is null || due != dueWas))
                {
                    writes.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(Partition(false, home), DueRowKey(due.Value, c.CaseId)) { ["CaseId"] = c.CaseId }));
                }

                if (c.IsClosed && closedAt is not null)
                {
                    writes.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                        new TableEntity(Partition(true, home), ClosedRowKey(c.CaseId)) { ["CaseId"] = c.CaseId, ["ClosedAt"] = closedAt.Value }));
                }

                openDeletes.AddRange(gone.Select(d => new TableEntity(Partition(false, home), DueRowKey(d, c.CaseId))));
            }

            if (left)
            {
                openDeletes.AddRange(province.Select(r => new TableEntity(Partition(false, province.Key), $"{r.Value}_{c.CaseId}")));
            }

            if (c.IsClosed)
            {
                await _table.SubmitTransactionAsync(writes, cancellationToken).ConfigureAwait(false);
                await DeleteAsync(openDeletes, [], cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DeleteAsync(openDeletes, writes, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Deletes <paramref name="rows"/> (one partition) with <paramref name="alongside"/> (the same partition) in one transaction; a row
    /// already gone (a step written again) fails a transaction, so then the writes go alone and each delete on its own, a missing row
    /// being no error.
    /// </summary>
    private async Task DeleteAsync(IReadOnlyList<TableEntity> rows, IReadOnlyList<TableTransactionAction> alongside, CancellationToken cancellationToken)
    {
        if (rows.Count + alongside.Count == 0)
        {
            return;
        }

        try
        {
            await _table.SubmitTransactionAsync([.. alongside, .. rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All))], cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            if (alongside.Count > 0)
            {
                await _table.SubmitTransactionAsync(alongside, cancellationToken).ConfigureAwait(false);
            }

            await DeleteAllAsync(rows.Select(r => (r.PartitionKey, r.RowKey)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One page of the cases the caller may list: for a supervisor, every case with an organisation under its region prefix; for any
    /// other organisation, the cases it is a party to or was told of. Open cases first, then closed ones; <paramref name="continuation"/>
    /// is the token a previous page returned.
    /// </summary>
    public Task<CasePage> QueryAsync(
        Organisation caller, string? state, bool? overdue, string? continuation, int take, CancellationToken cancellationToken = default) =>
        SearchAsync(caller, new CaseSearch(state, overdue, null, null), continuation, take, cancellationToken);

    /// <summary>
    /// One page of the cases the caller may list that match <paramref name="search"/>: the state, overdue flag and identity number's
    /// keyed hash are filters storage applies; a name is matched here, reading on (at most 20 storage pages) until a page is full, so a
    /// name search's page is as full as any other.
    /// </summary>
    public async Task<CasePage> SearchAsync(
        Organisation caller, CaseSearch search, string? continuation, int take, CancellationToken cancellationToken = default)
    {
        if (continuation is not null && !IsWellFormedToken(continuation))
        {
            throw new FormatException("Not a continuation token of this list.");
        }

        var closed = continuation?.StartsWith("c:", StringComparison.Ordinal) == true;
        var token = continuation is { Length: > 2 } ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(continuation.AsSpan(2))) : null;
        var results = new List<CaseSummary>();
        var reads = 0;
        while (true)
        {
            var (page, next) = await PartitionPageAsync(caller, closed, search, token, take - results.Count, cancellationToken).ConfigureAwait(false);
            results.AddRange(page.Where(c => results.All(r => r.CaseId != c.CaseId)));
            if (next is not null && search.Name is not null && results.Count < take && ++reads < 20)
            {
                token = next;
                continue;
            }

            if (next is not null)
            {
                return new CasePage(results, (closed ? "c:" : "o:") + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(next)));
            }

            if (closed || results.Count >= take)
            {
                return new CasePage(results, closed ? null : "c:");
            }

            closed = true;
            token = null;
        }
    }

    /// <summary>
    /// Every open case the caller may list (a work list's whole population, however long), at most <paramref name="maxPages"/> pages of
    /// <paramref name="pageSize"/>: the open partition only, page after page.
    /// </summary>
    public async Task<IReadOnlyList<CaseSummary>> OpenCasesAsync(
        Organisation caller, int pageSize = 500, int maxPages = 100, CancellationToken cancellationToken = default)
    {
        var open = new List<CaseSummary>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        for (var pages = 0; pages < maxPages; pages++)
        {
            var (page, next) = await PartitionPageAsync(caller, false, new CaseSearch(null, null, null, null), token, pageSize, cancellationToken).ConfigureAwait(false);
            open.AddRange(page.Where(c => seen.Add(c.CaseId)));
            if (next is null)
            {
                break;
            }

            token = next;
        }

        return open;
    }

    /// <summary>
    /// Whether <paramref name="continuation"/> has the shape this list issues: <c>o:</c> or <c>c:</c> (open or closed partition) and the
    /// table's own token in base64url, so a forged or mangled token is refused before it reaches storage or a log.
    /// </summary>
    public static bool IsWellFormedToken(string continuation)
    {
        if (continuation.Length < 2 || continuation[1] != ':' || continuation[0] is not ('o' or 'c'))
        {
            return false;
        }

        var rest = continuation.AsSpan(2);
        return rest.Length == 0 ? continuation[0] == 'c' : Base64Url.IsValid(rest);
    }

    /// <summary>
    /// Open cases due before <paramref name="before"/>, oldest first, at most <paramref name="take"/>: one range in the open partition of each
    /// province whose organisations the directory has (a case's due row is in its home province's).
    /// </summary>
    public async Task<IReadOnlyList<(string CaseId, DateTimeOffset DueAt)>> DueBeforeAsync(DateTimeOffset before, int take, CancellationToken cancellationToken = default)
    {
        var due = new List<(string CaseId, DateTimeOffset DueAt)>();
        foreach (var province in Provinces())
        {
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {Partition(false, province)} and RowKey ge {DuePrefix} and RowKey lt {DueRowKey(before, "")}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), select: ["RowKey", "CaseId"], cancellationToken: cancellationToken)
                               .ConfigureAwait(false))
            {
                due.Add((row.GetString("CaseId") ?? "", new DateTimeOffset(long.Parse(row.RowKey.AsSpan(DuePrefix.Length, 19), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero)));
                if (due.Count >= take)
                {
                    break;
                }
            }
        }

        return [.. due.OrderBy(d => d.DueAt).Take(take)];
    }

    /// <summary>The provinces of the directory's organisations: where a case's home partitions can be.</summary>
    private IEnumerable<string> Provinces() => directory.All.Select(o => o.Region.Province).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>Every open case id in the index (the reconciler's daily full pass): one range per province partition.</summary>
    public async IAsyncEnumerable<string> OpenCaseIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"o"} and PartitionKey lt {"p"} and RowKey ge {"0"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["CaseId"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("CaseId") is { } id && seen.Add(id))
            {
                yield return id;
            }
        }
    }

    private async Task<(List<CaseSummary> Page, string? Next)> PartitionPageAsync(
        Organisation caller, bool closed, CaseSearch search, string? token, int take, CancellationToken cancellationToken)
    {
        var (state, overdue) = (search.State, search.Overdue);
        var prefix = caller.Kind == OrganisationKind.Supervisor ? caller.Region.ScopePrefix : caller.Region.Value;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(closed, caller.Region.Province)} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        if (state is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"State eq {state}");
        }

        if (overdue is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Overdue eq {overdue.Value}");
        }

        if (search.Lookup is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Lookup eq {search.Lookup}");
        }

        var results = new List<CaseSummary>();
        await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: take, cancellationToken: cancellationToken)
                           .AsPages(token, take).ConfigureAwait(false))
        {
            foreach (var row in page.Values)
            {
                var summary = JsonSerializer.Deserialize<CaseSummary>(LargeText.Read(row, "Summary"), CoreJson.Options)!;
                if ((caller.Kind == OrganisationKind.Supervisor || summary.Concerns(caller.Id)) && results.All(r => r.CaseId != summary.CaseId)
                    && (search.Name is null || summary.PersonName.Contains(search.Name, StringComparison.Ordinal)))
                {
                    results.Add(summary);
                }
            }

            return (results, page.ContinuationToken);
        }

        return (results, null);
    }

    /// <summary>Lists the case as blocked (idempotent: the latest round's details replace the earlier).</summary>
    public Task SetBlockedAsync(BlockedCase blocked, CancellationToken cancellationToken = default) =>
        _table.UpsertEntityAsync(new TableEntity(BlockedPartition, blocked.CaseId)
        {
            ["Since"] = blocked.Since,
            ["Failures"] = blocked.Failures,
            ["Error"] = blocked.Error.Length > 4000 ? blocked.Error[..4000] : blocked.Error,
            ["NextTryAt"] = blocked.NextTryAt,
        }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>The case applies its steps again. Idempotent.</summary>
    public Task ClearBlockedAsync(string caseId, CancellationToken cancellationToken = default) =>
        DeleteAllAsync([(BlockedPartition, caseId)], cancellationToken);

    /// <summary>The blocked cases, at most <paramref name="take"/> (one request).</summary>
    public async Task<IReadOnlyList<BlockedCase>> BlockedAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        var list = new List<BlockedCase>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {BlockedPartition}"), maxPerPage: take, cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            list.Add(new BlockedCase(row.RowKey, row.GetDateTimeOffset("Since") ?? default, row.GetInt32("Failures") ?? 0, row.GetString("Error") ?? "",
                row.GetDateTimeOffset("NextTryAt") ?? default));
            if (list.Count >= take)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>
    /// Removes the case's due rows at <paramref name="dueAts"/> (not its current one): rows an activity published and a later
    /// publication could not know of (two attempts of a step publishing out of order). Idempotent.
    /// </summary>
    public Task ForgetDueAsync(Case c, IEnumerable<DateTimeOffset> dueAts, CancellationToken cancellationToken = default)
    {
        var home = HomeProvince(c);
        return DeleteAllAsync(dueAts.Select(d => (Partition(false, home), DueRowKey(d, c.CaseId))), cancellationToken);
    }

    /// <summary>Whether the case is listed as blocked (one point read).</summary>
    public async Task<bool> IsBlockedAsync(string caseId, CancellationToken cancellationToken = default) =>
        (await _table.GetEntityIfExistsAsync<TableEntity>(BlockedPartition, caseId, ["RowKey"], cancellationToken).ConfigureAwait(false)).HasValue;

    /// <summary>
    /// Notes that the case has a command waiting on its running orchestration since <paramref name="since"/> (real time). Keeps an
    /// earlier note unless <paramref name="restart"/> (the orchestration was just restarted: its stall limit counts from now).
    /// </summary>
    public async Task NoteWaitingAsync(string caseId, DateTimeOffset since, bool restart = false, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(WaitingPartition, caseId) { ["Since"] = since };
        if (restart)
        {
            await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Noted already: the earlier instant stands.
        }
    }

    /// <summary>The cases noted as waiting, with the instant each was first seen so, at most <paramref name="take"/> (one request).</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> WaitingAsync(int take, CancellationToken cancellationToken = default)
    {
        var waiting = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {WaitingPartition}"), maxPerPage: Math.Min(take, 1000),
                           select: ["RowKey", "Since"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            waiting[row.RowKey] = row.GetDateTimeOffset("Since") ?? default;
            if (waiting.Count >= take)
            {
                break;
            }
        }

        return waiting;
    }

    /// <summary>The case has nothing waiting any more. Idempotent.</summary>
    public Task ClearWaitingAsync(string caseId, CancellationToken cancellationToken = default) =>
        DeleteAllAsync([(WaitingPartition, caseId)], cancellationToken);

    /// <summary>
    /// Cases closed before <paramref name="before"/> whose command rows are still kept, at most <paramref name="take"/>: one range in the
    /// closed partition of each province.
    /// </summary>
    public async Task<IReadOnlyList<(string Partition, string Key, string CaseId)>> ClosedBeforeAsync(DateTimeOffset before, int take, CancellationToken cancellationToken = default)
    {
        var list = new List<(string, string, string)>();
        foreach (var province in Provinces())
        {
            // The notes of one province are the cases closed within the retention (they go once cleared): a short range, filtered by instant.
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {Partition(true, province)} and RowKey ge {ClosedPrefix} and RowKey lt {"!closed`"} and ClosedAt lt {before}");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), select: ["PartitionKey", "RowKey", "CaseId"], cancellationToken: cancellationToken)
                               .ConfigureAwait(false))
            {
                list.Add((row.PartitionKey, row.RowKey, row.GetString("CaseId") ?? ""));
                if (list.Count >= take)
                {
                    return list;
                }
            }
        }

        return list;
    }

    /// <summary>The case's command rows are cleared: its note goes.</summary>
    public Task ForgetClosedAsync(string partition, string key, CancellationToken cancellationToken = default) =>
        DeleteAllAsync([(partition, key)], cancellationToken);

    private async Task DeleteAllAsync(IEnumerable<(string Partition, string Row)> keys, CancellationToken cancellationToken)
    {
        foreach (var (partition, row) in keys)
        {
            try
            {
                await _table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
    }
}
