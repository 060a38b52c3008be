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
/// The RegionStats table: the supervisors' figures, kept off the steps' answer path so that no page reads every case and no step's
/// cost grows with its county.
/// <list type="bullet">
/// <item><b>facts</b>: PartitionKey <c>f{province}</c>, RowKey <c>{county}_{caseId}</c> — one row per case, its <see cref="CaseFacts"/>
/// and the case version they were taken at. A county's rows are one range, a city's too.</item>
/// <item><b>dirty markers</b>: PartitionKey <c>f{province}</c>, RowKey <c>!dirty_{county}</c> — the county's sums are behind its facts.
/// A step writes its case's facts row and its county's marker in one transaction, reading nothing: a crash cannot lose a marker.</item>
/// <item><b>sums</b>: PartitionKey <c>s{province}</c>, RowKey <c>{county}_{week}</c> — the sums of the facts of the county's cases
/// registered that week — and <c>{county}_now</c> — the sums over its open cases (lost now, open escalations). A province's
/// dashboard for a year reads at most 120 counties × 53 weeks rows, however many cases there are.</item>
/// </list>
/// A catch-up (<see cref="RegionStatsCatchUp"/>: a few seconds after a step in the same process, every few minutes for markers a
/// crashed process left, and whenever a dashboard reads a scope with markers) recomputes each dirty county once from its facts: a
/// burst of 300 steps in one county is a handful of recomputations, not 300. A recomputation reads the marker, then the sums (with
/// their ETags), then the facts; writes the sums conditional on those ETags (another recomputation that wrote first makes it start
/// again); and removes the marker only if it is still the one it read — a step that wrote facts meanwhile left a newer marker, so the
/// county is recomputed again.
/// </summary>
public sealed class RegionStatsStore(StorageClients clients, OrganisationDirectory directory)
{
    public const string NowBucket = "now";
    private const string MarkerPrefix = "!dirty_";
    private const int MaxAttempts = 8;
    private readonly TableClient _table = clients.Table(StorageNames.RegionStatsTable);
    private long _recomputed;

    public static string FactsPartition(string province) => "f" + province;

    public static string SumsPartition(string province) => "s" + province;

    /// <summary>How many county recomputations this process made (the benchmark and the tests read it).</summary>
    public long Recomputed => Interlocked.Read(ref _recomputed);

    /// <summary>The county a case counts in: its receiving office's (first 6 digits of the region code).</summary>
    public string? CountyOf(Case c) => directory.Find(c.OfficeId)?.Region.Value;

    /// <summary>
    /// Records the case's facts at <paramref name="version"/> and marks its county dirty: one transaction, no read. Returns the county and
    /// the marker's ETag, for the catch-up to be told (null when the case counts in none: its office is not in the directory).
    /// </summary>
    public async Task<DirtyCounty?> RecordAsync(Case c, int version, CancellationToken cancellationToken = default)
    {
        if (CountyOf(c) is not { } county)
        {
            return null;
        }

        var responses = await _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, FactsRow(county, c, CaseFacts.From(c), version)),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(FactsPartition(county[..2]), MarkerPrefix + county) { ["County"] = county }),
        ], cancellationToken).ConfigureAwait(false);
        return new DirtyCounty(county, responses.Value[1].Headers.ETag ?? default);
    }

    /// <summary>
    /// Recomputes every dirty county under <paramref name="prefix"/> (a province, city or county code prefix) in
    /// <paramref name="province"/>: one request when none is dirty. Returns how many were recomputed.
    /// </summary>
    public async Task<int> CatchUpAsync(string province, string prefix, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {FactsPartition(province)} and RowKey ge {MarkerPrefix + prefix} and RowKey lt {MarkerPrefix + prefix + "~"}");
        var markers = new List<(string County, ETag ETag)>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            markers.Add((row.RowKey[MarkerPrefix.Length..], row.ETag));
        }

        foreach (var (county, etag) in markers)
        {
            await RecomputeAsync(county, etag, cancellationToken).ConfigureAwait(false);
        }

        return markers.Count;
    }

    /// <summary>
    /// Recomputes one county's sums from its facts and removes its marker if it is still <paramref name="marker"/> (the one a step of this
    /// process wrote, or one read): a step that marked it again meanwhile leaves it dirty.
    /// </summary>
    public async Task RecomputeAsync(string county, ETag marker, CancellationToken cancellationToken = default)
    {
        var province = county[..2];
        for (var attempt = 1; ; attempt++)
        {
            // Sums first, facts after: a facts row written after this read comes with a newer marker, so the county is done again.
            var current = new Dictionary<string, ETag>(StringComparer.Ordinal);
            var sumsFilter = TableClient.CreateQueryFilter($"PartitionKey eq {SumsPartition(province)} and RowKey ge {county + "_"} and RowKey lt {county + "_~"}");
            await foreach (var row in _table.QueryAsync<TableEntity>(sumsFilter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                current[row.RowKey] = row.ETag;
            }

            var sums = new SortedDictionary<string, RegionSums>(StringComparer.Ordinal) { [NowBucket] = new RegionSums() };
            await foreach (var (week, facts) in CountyFactsAsync(province, county, cancellationToken).ConfigureAwait(false))
            {
                (sums.TryGetValue(week, out var weekSums) ? weekSums : sums[week] = new RegionSums()).Add(facts);
                if (facts.Open)
                {
                    sums[NowBucket].AddNow(facts);
                }
            }

            try
            {
                foreach (var chunk in sums.Select(kv => Write(SumsRow(county, kv.Key, kv.Value), current)).Chunk(100))
                {
                    await _table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                break;
            }
            catch (TableTransactionFailedException ex) when (attempt < MaxAttempts && ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Another process recomputed this county meanwhile: read again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50 * attempt)), cancellationToken).ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _recomputed);
        try
        {
            await _table.DeleteEntityAsync(FactsPartition(province), MarkerPrefix + county, marker, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
        {
            // Marked again since it was read (a newer step: it stays dirty), or removed by a recomputation that read the same marker.
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
}

/// <summary>A county whose sums are behind its facts, and the ETag of its marker as last written.</summary>
public sealed record DirtyCounty(string County, ETag Marker);

/// <summary>What a list of cases behind a figure shows of each.</summary>
/// <param name="ReleaseDate">The planned release date.</param>
/// <param name="ReleasedAt">When the person actually left, once recorded (facts written before it was kept have none).</param>
public sealed record CaseLine(string CaseId, string PersonName, string MaskedIdNumber, DateOnly ReleaseDate, CaseState State, string OfficeId, DateTimeOffset? ReleasedAt = null)
{
    public static CaseLine From(Case c) => new(c.CaseId, c.Person.Name, c.Person.MaskedIdNumber, c.ReleaseDate, c.State, c.OfficeId, c.ReleasedAt);
}

/// <summary>One sums row: a county's sums for a week (<c>2026-W10</c>) or for <see cref="RegionStatsStore.NowBucket"/>.</summary>
public sealed record SumsRow(string County, string Bucket, RegionSums Sums);
