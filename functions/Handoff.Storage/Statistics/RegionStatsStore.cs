using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Statistics;
using Handoff.Storage.Infrastructure;

namespace Handoff.Storage.Statistics;

/// <summary>
/// The RegionStats table: the supervisors' figures, kept by the case's activity after each step so that no page reads every case.
/// <list type="bullet">
/// <item><b>facts</b>: PartitionKey <c>f{province}</c>, RowKey <c>{county}_{caseId}</c> — one row per case, its <see cref="CaseFacts"/>
/// and the case version they were taken at. A county's rows are one range, a city's too.</item>
/// <item><b>sums</b>: PartitionKey <c>s{province}</c>, RowKey <c>{county}_{week}</c> — the sums of the facts of the county's cases
/// registered that week — and <c>{county}_now</c> — the sums over its open cases (lost now, open escalations). A province's
/// dashboard for a year reads at most 120 counties × 53 weeks rows, however many cases there are.</item>
/// </list>
/// A step writes its case's facts row (skipped when the facts did not change), then recomputes the two sums of its county from the
/// county's facts and writes them in one transaction guarded by their ETags, retrying on a conflict: whatever order concurrent steps
/// of one county run in, the last writer has read every facts row written before it, and a retried activity writes the same values
/// again (idempotent by case version: an older version never replaces a newer one).
/// </summary>
public sealed class RegionStatsStore(StorageClients clients, OrganisationDirectory directory)
{
    public const string NowBucket = "now";
    private const int MaxAttempts = 40;
    private readonly TableClient _table = clients.Table(StorageNames.RegionStatsTable);

    public static string FactsPartition(string province) => "f" + province;

    public static string SumsPartition(string province) => "s" + province;

    /// <summary>The county a case counts in: its receiving office's (first 6 digits of the region code).</summary>
    public string? CountyOf(Case c) => directory.Find(c.OfficeId)?.Region.Value;

    /// <summary>Records the case's facts at <paramref name="version"/> and brings its county's sums up to date. Idempotent.</summary>
    public async Task RecordAsync(Case c, int version, CancellationToken cancellationToken = default)
    {
        if (CountyOf(c) is not { } county)
        {
            return;
        }

        var province = county[..2];
        var facts = CaseFacts.From(c);
        var row = FactsRow(county, c, facts, version);
        var existing = await GetAsync(row.PartitionKey, row.RowKey, cancellationToken).ConfigureAwait(false);
        if (existing is not null && (existing.GetInt32("Version") ?? 0) > version)
        {
            return; // A newer step already recorded this case.
        }

        var changed = existing is null || existing.GetString("Facts") != row.GetString("Facts");
        if (changed || existing!.GetString("Line") != row.GetString("Line") || existing.GetInt32("Version") != version)
        {
            try
            {
                if (existing is null)
                {
                    await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _table.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Another writer of this case (a retry racing its original): start again from what it wrote.
                await RecordAsync(c, version, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        if (changed)
        {
            await RefreshSumsAsync(province, county, facts.Week, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Recomputes a county's sums for one week and for now from its facts rows, guarded by the sums' ETags.</summary>
    public async Task RefreshSumsAsync(string province, string county, string week, CancellationToken cancellationToken = default)
    {
        var sumsPartition = SumsPartition(province);
        for (var attempt = 1; ; attempt++)
        {
            // Sums first, facts after: a facts row written after this read belongs to a writer that reads the sums after us.
            var current = new Dictionary<string, ETag>(StringComparer.Ordinal);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {sumsPartition} and (RowKey eq {county + "_" + week} or RowKey eq {county + "_" + NowBucket})");
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                current[row.RowKey] = row.ETag;
            }

            var weekSums = new RegionSums();
            var nowSums = new RegionSums();
            await foreach (var (factsWeek, facts) in CountyFactsAsync(province, county, cancellationToken).ConfigureAwait(false))
            {
                if (factsWeek == week)
                {
                    weekSums.Add(facts);
                }

                if (facts.Open)
                {
                    nowSums.AddNow(facts);
                }
            }

            var actions = new List<TableTransactionAction>
            {
                Write(SumsRow(county, week, weekSums), current),
                Write(SumsRow(county, NowBucket, nowSums), current),
            };
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException ex) when (attempt < MaxAttempts && ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Another step of this county wrote the sums meanwhile: read again, after a short random pause so that a burst of
                // steps in one county (a day's deadlines at 24:00) spreads out.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + 10 * Math.Min(attempt, 10))), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes the figures of many cases at once, from scratch: each case's facts row (in the county given, normally
    /// <see cref="CountyOf"/>) and the sums they add up to, in entity-group transactions of 100 rows. For loading or rebuilding the
    /// figures while nothing else writes them (the benchmark's 10,000-case province); steps use <see cref="RecordAsync"/>.
    /// </summary>
    public async Task RebuildAsync(IEnumerable<(string County, Case Case, int Version)> cases, CancellationToken cancellationToken = default)
    {
        var facts = new List<TableEntity>();
        var sums = new Dictionary<(string County, string Bucket), RegionSums>();
        foreach (var (county, c, version) in cases)
        {
            var f = CaseFacts.From(c);
            facts.Add(FactsRow(county, c, f, version));
            Sums(county, f.Week).Add(f);
            if (f.Open)
            {
                Sums(county, NowBucket).AddNow(f);
            }
        }

        RegionSums Sums(string county, string bucket) => sums.TryGetValue((county, bucket), out var s) ? s : sums[(county, bucket)] = new RegionSums();

        var rows = facts.Concat(sums.Select(kv => SumsRow(kv.Key.County, kv.Key.Bucket, kv.Value)));
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The sums rows of a province (or a city or county within it: <paramref name="prefix"/>): the weeks from <paramref name="firstWeek"/>
    /// to <paramref name="lastWeek"/> (all when null) and now. One partition, at most 120 counties × 54 rows for a year: one to seven
    /// requests, whatever the number of cases.
    /// </summary>
    public async Task<IReadOnlyList<SumsRow>> SumsAsync(
        string province, string prefix, string? firstWeek = null, string? lastWeek = null, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SumsPartition(province)} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        if (firstWeek is not null && lastWeek is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"((Bucket ge {firstWeek} and Bucket le {lastWeek}) or Bucket eq {NowBucket})");
        }

        var rows = new List<SumsRow>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new SumsRow(row.GetString("County")!, row.GetString("Bucket")!,
                JsonSerializer.Deserialize<RegionSums>(row.GetString("Sums")!, Core.Serialization.CoreJson.Options)!));
        }

        return rows;
    }

    /// <summary>
    /// The cases behind a figure: the facts rows under <paramref name="prefix"/> (a province, city or county code prefix) that
    /// <paramref name="match"/> accepts, at most <paramref name="take"/>. Reads the scope's facts rows, one request per 1,000: a drill-down
    /// from a figure, not a page everyone opens.
    /// </summary>
    public async Task<(IReadOnlyList<CaseLine> Cases, bool Truncated)> CasesAsync(
        string province, string prefix, Func<string, CaseFacts, bool> match, int take, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {FactsPartition(province)} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        var lines = new List<CaseLine>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["Week", "Facts", "Line"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var facts = JsonSerializer.Deserialize<CaseFacts>(row.GetString("Facts")!, Core.Serialization.CoreJson.Options)!;
            if (match(row.GetString("Week")!, facts))
            {
                if (lines.Count == take)
                {
                    return (lines, true);
                }

                lines.Add(JsonSerializer.Deserialize<CaseLine>(row.GetString("Line")!, Core.Serialization.CoreJson.Options)!);
            }
        }

        return (lines, false);
    }

    private async IAsyncEnumerable<(string Week, CaseFacts Facts)> CountyFactsAsync(
        string province, string county, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {FactsPartition(province)} and RowKey ge {county + "_"} and RowKey lt {county + "_~"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["Week", "Facts"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return (row.GetString("Week")!, JsonSerializer.Deserialize<CaseFacts>(row.GetString("Facts")!, Core.Serialization.CoreJson.Options)!);
        }
    }

    /// <summary>A case's facts row in its county (the list line travels with it, for the drill-down).</summary>
    private static TableEntity FactsRow(string county, Case c, CaseFacts facts, int version) => new(FactsPartition(county[..2]), $"{county}_{c.CaseId}")
    {
        ["Version"] = version,
        ["Week"] = facts.Week,
        ["Open"] = facts.Open,
        ["Facts"] = Json(facts),
        ["Line"] = Json(CaseLine.From(c)),
    };

    /// <summary>A county's sums row for a week or for <see cref="NowBucket"/>.</summary>
    private static TableEntity SumsRow(string county, string bucket, RegionSums sums) => new(SumsPartition(county[..2]), $"{county}_{bucket}")
    {
        ["County"] = county,
        ["Bucket"] = bucket,
        ["Sums"] = Json(sums),
    };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Core.Serialization.CoreJson.Options);

    /// <summary>The write of a sums row: replacing the version read (its ETag), or adding it if there was none.</summary>
    private static TableTransactionAction Write(TableEntity row, Dictionary<string, ETag> current) =>
        current.TryGetValue(row.RowKey, out var etag)
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, row);

    private async Task<TableEntity?> GetAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }
}

/// <summary>What a list of cases behind a figure shows of each.</summary>
public sealed record CaseLine(string CaseId, string PersonName, string MaskedIdNumber, DateOnly ReleaseDate, CaseState State, string OfficeId)
{
    public static CaseLine From(Case c) => new(c.CaseId, c.Person.Name, c.Person.MaskedIdNumber, c.ReleaseDate, c.State, c.OfficeId);
}

/// <summary>One sums row: a county's sums for a week (<c>2026-W10</c>) or for <see cref="RegionStatsStore.NowBucket"/>.</summary>
public sealed record SumsRow(string County, string Bucket, RegionSums Sums);
