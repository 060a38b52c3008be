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
/// <item>one row per open case with something due, PartitionKey = <c>due</c>, RowKey = <c>{ticks of the due instant}_{caseId}</c>:
/// the reconciler reads only the cases overdue by more than its grace as one range;</item>
/// <item>one row per blocked case (its activity failed past its retries and its orchestration waits to try again), PartitionKey =
/// <c>blocked</c>, RowKey = case id: what <c>/healthz</c> lists for the operator, removed when the case applies again;</item>
/// <item>one row per closed case whose command rows are still kept, PartitionKey = <c>closed</c>, RowKey =
/// <c>{ticks of the closing step}_{caseId}</c>: the reconciler's full pass clears the command rows past their retention as one range.</item>
/// </list>
/// Written by the case's activity after each step. Idempotent (upserts and deletes of keys derived from the case).
/// </summary>
public sealed class CaseIndexStore(StorageClients clients, OrganisationDirectory directory)
{
    private const string DuePartition = "due";
    private const string BlockedPartition = "blocked";
    private const string ClosedPartition = "closed";
    private readonly TableClient _table = clients.Table(StorageNames.CaseIndexTable);

    public static string Partition(bool closed, string province) => (closed ? "c" : "o") + province;

    public static string DueRowKey(DateTimeOffset dueAt, string caseId) => $"{dueAt.UtcTicks:D19}_{caseId}";

    /// <summary>Writes the case's rows as it now stands, removing those of <paramref name="before"/> that no longer apply.</summary>
    /// <param name="dueBefore">Without <paramref name="before"/> (a step written again after a crash): the due instant the case had
    /// before the step, whose due row must go.</param>
    public async Task UpsertAsync(Case c, Case? before, DateTimeOffset? dueBefore = null, CancellationToken cancellationToken = default)
    {
        var summary = CaseSummary.From(c);
        var json = JsonSerializer.Serialize(summary, CoreJson.Options);
        foreach (var province in CaseAccess.Regions(c, directory).GroupBy(r => r.Province))
        {
            var actions = province.Select(region =>
            {
                var row = new TableEntity(Partition(c.IsClosed, province.Key), $"{region.Value}_{c.CaseId}")
                {
                    ["CaseId"] = c.CaseId,
                    ["State"] = summary.State,
                    ["Overdue"] = summary.Overdue,
                    ["OpenEscalations"] = summary.Escalations.Count(e => e.Status == EscalationStatus.Open),
                    ["NextDueAt"] = summary.NextDueAt,
                };
                LargeText.Write(row, "Summary", json);
                return new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
            }).ToList();
            // A case that closed moves partitions. Without its previous state (a step written again after a crash) a closed case
            // deletes its open rows anyway: a delete of a row already gone is harmless.
            if (before is null ? c.IsClosed : before.IsClosed != c.IsClosed)
            {
                await DeleteAllAsync(province.Select(r => (Partition(!c.IsClosed, province.Key), $"{r.Value}_{c.CaseId}")), cancellationToken)
                    .ConfigureAwait(false);
            }

            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }

        var due = c.IsClosed ? null : CaseWorkflow.NextDueAt(c);
        dueBefore = before is null ? dueBefore : before.IsClosed ? null : CaseWorkflow.NextDueAt(before);
        if (due != dueBefore)
        {
            if (due is not null)
            {
                await _table.UpsertEntityAsync(new TableEntity(DuePartition, DueRowKey(due.Value, c.CaseId)) { ["CaseId"] = c.CaseId },
                    TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            if (dueBefore is not null)
            {
                await DeleteAllAsync([(DuePartition, DueRowKey(dueBefore.Value, c.CaseId))], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One page of the cases the caller may list: for a supervisor, every case with an organisation under its region prefix; for any
    /// other organisation, the cases it is a party to or was told of. Open cases first, then closed ones; <paramref name="continuation"/>
    /// is the token a previous page returned.
    /// </summary>
    public async Task<CasePage> QueryAsync(
        Organisation caller, string? state, bool? overdue, string? continuation, int take, CancellationToken cancellationToken = default)
    {
        if (continuation is not null && !IsWellFormedToken(continuation))
        {
            throw new FormatException("Not a continuation token of this list.");
        }

        var closed = continuation?.StartsWith("c:", StringComparison.Ordinal) == true;
        var token = continuation is { Length: > 2 } ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(continuation.AsSpan(2))) : null;
        var results = new List<CaseSummary>();
        while (true)
        {
            var (page, next) = await PartitionPageAsync(caller, closed, state, overdue, token, take - results.Count, cancellationToken).ConfigureAwait(false);
            results.AddRange(page);
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

    /// <summary>Open cases due before <paramref name="before"/>, oldest first, at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<(string CaseId, DateTimeOffset DueAt)>> DueBeforeAsync(DateTimeOffset before, int take, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DuePartition} and RowKey lt {DueRowKey(before, "")}");
        var due = new List<(string, DateTimeOffset)>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), select: ["RowKey", "CaseId"], cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            due.Add((row.GetString("CaseId") ?? "", new DateTimeOffset(long.Parse(row.RowKey[..19], System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero)));
            if (due.Count >= take)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>Every open case id in the index (the reconciler's daily full pass): one range per province partition.</summary>
    public async IAsyncEnumerable<string> OpenCaseIdsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"o"} and PartitionKey lt {"p"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["CaseId"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("CaseId") is { } id && seen.Add(id))
            {
                yield return id;
            }
        }
    }

    private async Task<(List<CaseSummary> Page, string? Next)> PartitionPageAsync(
        Organisation caller, bool closed, string? state, bool? overdue, string? token, int take, CancellationToken cancellationToken)
    {
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

        var results = new List<CaseSummary>();
        await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: take, cancellationToken: cancellationToken)
                           .AsPages(token, take).ConfigureAwait(false))
        {
            foreach (var row in page.Values)
            {
                var summary = JsonSerializer.Deserialize<CaseSummary>(LargeText.Read(row, "Summary"), CoreJson.Options)!;
                if ((caller.Kind == OrganisationKind.Supervisor || summary.Concerns(caller.Id)) && results.All(r => r.CaseId != summary.CaseId))
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

    /// <summary>Notes that the case closed at <paramref name="closedAt"/>, so its command rows are cleared after their retention. Idempotent.</summary>
    public Task NoteClosedAsync(string caseId, DateTimeOffset closedAt, CancellationToken cancellationToken = default) =>
        _table.UpsertEntityAsync(new TableEntity(ClosedPartition, DueRowKey(closedAt, caseId)) { ["CaseId"] = caseId }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Cases closed before <paramref name="before"/> whose command rows are still kept, oldest first, at most <paramref name="take"/>.</summary>
    public async Task<IReadOnlyList<(string Key, string CaseId)>> ClosedBeforeAsync(DateTimeOffset before, int take, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ClosedPartition} and RowKey lt {DueRowKey(before, "")}");
        var list = new List<(string, string)>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(take, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add((row.RowKey, row.GetString("CaseId") ?? ""));
            if (list.Count >= take)
            {
                break;
            }
        }

        return list;
    }

    /// <summary>The case's command rows are cleared: its note goes.</summary>
    public Task ForgetClosedAsync(string key, CancellationToken cancellationToken = default) =>
        DeleteAllAsync([(ClosedPartition, key)], cancellationToken);

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
