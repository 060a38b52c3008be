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
/// <item><b>facts</b>: PartitionKey <c>f{province}</c>, RowKey <c>{county}_{caseId}</c> — one row per case and county it counts in,
/// its <see cref="CaseFacts"/>, the roles the county holds in it (<see cref="UnitRoles"/>: the centre's county for the centre's part,
/// the receiving office's county for the rest; one row with both when they are one county), the two units and the case version. A case
/// from a centre in one province to an office in another has a row in each province. A county's rows are one range, a city's too.</item>
/// <item><b>dirty markers</b>: PartitionKey <c>f{province}</c>, RowKey <c>!dirty_{county}</c> — the county's sums are behind its facts.
/// A step writes its case's facts rows and their counties' markers in one transaction per province, reading nothing: a crash cannot
/// lose a marker (a crash between two provinces' transactions leaves the second province a step behind until the retry writes it).</item>
/// <item><b>sums</b>: PartitionKey <c>s{province}</c>, RowKey <c>{county}_{yyyy-MM}</c> — the sums of the facts of the county's cases
/// released that calendar month (<see cref="CaseFacts.Month"/>) — and <c>{county}_now</c> — the sums over its open cases (lost now, open
/// escalations); each with the county's total (<c>Sums</c>) and the same per unit, office or centre (<c>Units</c>, read only for a
/// county's own dashboard). A province's dashboard reads at most its counties × 13 rows (a year, or a month with its trend), however
/// many cases there are.</item>
/// </list>
/// A catch-up (<see cref="RegionStatsCatchUp"/>: a few seconds after a step in the same process, every few minutes for markers a
/// crashed process left, and whenever a dashboard reads a scope with markers) recomputes each dirty county once from its facts: a
/// burst of 300 steps in one county is a handful of recomputations, not 300. A recomputation reads the marker, then the sums (with
/// their ETags), then the facts; writes the sums conditional on those ETags, and deletes, under their ETags, the county's rows that no
/// longer have a case (a postponed release moved to another month) — another recomputation that wrote first makes it start again;
/// and removes the marker only if it is still the one it read — a step that wrote facts meanwhile left a newer marker, so the county is
/// recomputed again.
/// <para>
/// <b>Rows of the earlier layout</b> (facts without <c>Schema</c> 2, counted by registration week; sums per ISO week): a facts row of
/// that shape is treated as absent — the recomputation and the drill-down skip it, and the case's next step overwrites it (it has the
/// same key) — and a weekly sums row is never read and is deleted by its county's next recomputation. Cases closed before the change
/// come back only by <see cref="RebuildAsync"/> from the cases (docs/operations.md).
/// </para>
/// </summary>
public sealed class RegionStatsStore(StorageClients clients, OrganisationDirectory directory)
{
    public const string NowBucket = "now";

    /// <summary>The facts row layout this build writes and reads; rows without it are of the earlier layout and count as absent.</summary>
    public const int Schema = 2;

    private const string MarkerPrefix = "!dirty_";
    private const int MaxAttempts = 8;
    private readonly TableClient _table = clients.Table(StorageNames.RegionStatsTable);
    private long _recomputed;

    public static string FactsPartition(string province) => "f" + province;

    public static string SumsPartition(string province) => "s" + province;

    /// <summary>How many county recomputations this process made (the benchmark and the tests read it).</summary>
    public long Recomputed => Interlocked.Read(ref _recomputed);

    /// <summary>The county a case is received in: its receiving office's (the office's 6-digit region code).</summary>
    public string? CountyOf(Case c) => directory.Find(c.OfficeId)?.Region.Value;

    /// <summary>
    /// The counties a case counts in, each with the roles it holds there: the receiving office's (<paramref name="officeCounty"/>, by
    /// default <see cref="CountyOf"/>) for the office's part, the centre's region for the centre's; one entry when they are the same.
    /// </summary>
    public IReadOnlyList<(string County, UnitRoles Roles)> Placements(Case c, string? officeCounty = null)
    {
        var places = new Dictionary<string, UnitRoles>(StringComparer.Ordinal);
        if ((officeCounty ?? CountyOf(c)) is { } office)
        {
            places[office] = UnitRoles.Office;
        }

        if (directory.Find(c.CentreId)?.Region.Value is { } centre)
        {
            places[centre] = places.GetValueOrDefault(centre) | UnitRoles.Centre;
        }

        // A person who changed the place of execution (戒毒条例 22) counts where executed now: the county left keeps a row with no role,
        // which replaces its last facts (else their open escalations and 脱失 would stay in its figures for ever) and adds to nothing.
        foreach (var former in (c.Community?.Offices ?? []).Select(o => directory.Find(o)?.Region.Value).OfType<string>())
        {
            places.TryAdd(former, UnitRoles.None);
        }

        return places.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    /// <summary>
    /// Records the case's facts at <paramref name="version"/> in each county it counts in and marks those counties dirty: one
    /// transaction per province, no read. Returns each county with its marker's ETag, for the catch-up to be told (none when the case
    /// counts nowhere: neither its office nor its centre is in the directory).
    /// </summary>
    public async Task<IReadOnlyList<DirtyCounty>> RecordAsync(Case c, int version, CancellationToken cancellationToken = default)
    {
        var facts = CaseFacts.From(c);
        var marked = new List<DirtyCounty>();
        foreach (var province in Placements(c).GroupBy(p => p.County[..2], StringComparer.Ordinal))
        {
            var actions = province.SelectMany(p => new[]
            {
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, FactsRow(p.County, p.Roles, c, facts, version)),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(FactsPartition(province.Key), MarkerPrefix + p.County) { ["County"] = p.County }),
            }).ToList();
            var responses = await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            marked.AddRange(province.Select((p, i) => new DirtyCounty(p.County, responses.Value[2 * i + 1].Headers.ETag ?? default)));
        }

        return marked;
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

            var sums = new SortedDictionary<string, CountySums>(StringComparer.Ordinal) { [NowBucket] = new CountySums() };
            await foreach (var row in CountyFactsAsync(province, county + "_", cancellationToken).ConfigureAwait(false))
            {
                (sums.TryGetValue(row.Facts.Month, out var month) ? month : sums[row.Facts.Month] = new CountySums()).Add(row, now: false);
                sums[NowBucket].Add(row, now: true);
            }

            var writes = sums.Select(kv => Write(SumsRow(county, kv.Key, kv.Value), current))
                .Concat(current.Where(kv => !sums.ContainsKey(kv.Key[(county.Length + 1)..]))
                    .Select(kv => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(SumsPartition(province), kv.Key), kv.Value)));
            try
            {
                foreach (var chunk in writes.Chunk(100))
                {
                    await _table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                break;
            }
            catch (TableTransactionFailedException ex) when (attempt < MaxAttempts && ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
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
    /// Writes the figures of many cases at once, from scratch: each case's facts rows (received in the county given, normally
    /// <see cref="CountyOf"/>; released in its centre's) and the sums they add up to, in entity-group transactions of 100 rows. For
    /// loading or rebuilding the figures while nothing else writes them (the benchmark's 10,000-case province; after a change of the
    /// figures' definitions); steps use <see cref="RecordAsync"/>.
    /// </summary>
    public async Task RebuildAsync(IEnumerable<(string County, Case Case, int Version)> cases, CancellationToken cancellationToken = default)
    {
        var facts = new List<TableEntity>();
        var sums = new Dictionary<(string County, string Bucket), CountySums>();
        foreach (var (officeCounty, c, version) in cases)
        {
            var f = CaseFacts.From(c);
            foreach (var (county, roles) in Placements(c, officeCounty))
            {
                var row = FactsRow(county, roles, c, f, version);
                facts.Add(row);
                Sums(county, f.Month).Add(Read(row), now: false);
                Sums(county, NowBucket).Add(Read(row), now: true);
            }
        }

        CountySums Sums(string county, string bucket) => sums.TryGetValue((county, bucket), out var s) ? s : sums[(county, bucket)] = new CountySums();

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
    /// The sums rows of a province (or a city or county within it: <paramref name="prefix"/>): the months from <paramref name="firstMonth"/>
    /// to <paramref name="lastMonth"/> (<c>yyyy-MM</c>; all when null) and now. One partition, at most 141 counties × 13 rows for a year
    /// with its "now": one to two requests, whatever the number of cases. <paramref name="units"/> reads each row's per-unit sums too
    /// (a county's dashboard lists its offices); a wider scope leaves them out.
    /// </summary>
    public async Task<IReadOnlyList<SumsRow>> SumsAsync(
        string province, string prefix, string? firstMonth = null, string? lastMonth = null, bool units = false, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SumsPartition(province)} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        if (firstMonth is not null && lastMonth is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"((Bucket ge {firstMonth} and Bucket le {lastMonth}) or Bucket eq {NowBucket})");
        }

        string[] select = units ? ["County", "Bucket", "Sums", "Units"] : ["County", "Bucket", "Sums"];
        var rows = new List<SumsRow>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var bucket = row.GetString("Bucket")!;
            if (bucket != NowBucket && !CaseFacts.IsMonth(bucket))
            {
                continue; // a weekly row of the earlier layout, deleted by its county's next recomputation
            }

            rows.Add(new SumsRow(row.GetString("County")!, bucket, Parse<RegionSums>(row.GetString("Sums")!),
                row.GetString("Units") is { } u ? Parse<Dictionary<string, RegionSums>>(u) : []));
        }

        return rows;
    }

    /// <summary>
    /// The cases behind a figure: the facts rows under <paramref name="prefix"/> (a province, city or county code prefix) that
    /// <paramref name="match"/> accepts (given the facts and the roles the row's county holds in the case), at most
    /// <paramref name="take"/>; never a cancelled registration. Reads the scope's facts rows, one request per 1,000: a drill-down from
    /// a figure, not a page everyone opens.
    /// </summary>
    public async Task<(IReadOnlyList<CaseLine> Cases, bool Truncated)> CasesAsync(
        string province, string prefix, Func<CaseFacts, UnitRoles, bool> match, int take, CancellationToken cancellationToken = default)
    {
        var lines = new List<CaseLine>();
        await foreach (var row in CountyFactsAsync(province, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!row.Facts.Cancelled && match(row.Facts, row.Roles))
            {
                if (lines.Count == take)
                {
                    return (lines, true);
                }

                lines.Add(row.Line());
            }
        }

        return (lines, false);
    }

    /// <summary>The facts rows of the current layout under a row-key prefix (a county's <c>{county}_</c>, or a region code prefix).</summary>
    private async IAsyncEnumerable<FactsEntry> CountyFactsAsync(
        string province, string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {FactsPartition(province)} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetInt32("Schema") == Schema)
            {
                yield return Read(row);
            }
        }
    }

    private static FactsEntry Read(TableEntity row) => new(
        Parse<CaseFacts>(row.GetString("Facts")!), (UnitRoles)row.GetInt32("Roles")!.Value, row.GetString("OfficeId")!, row.GetString("CentreId")!, row.GetString("Line")!);

    /// <summary>A case's facts row in a county it counts in (the list line travels with it, for the drill-down).</summary>
    private static TableEntity FactsRow(string county, UnitRoles roles, Case c, CaseFacts facts, int version) => new(FactsPartition(county[..2]), $"{county}_{c.CaseId}")
    {
        ["Schema"] = Schema,
        ["Version"] = version,
        ["Roles"] = (int)roles,
        ["OfficeId"] = c.OfficeId,
        ["CentreId"] = c.CentreId,
        ["Month"] = facts.Month,
        ["Open"] = facts.Open,
        ["Facts"] = Json(facts),
        ["Line"] = Json(CaseLine.From(c)),
    };

    /// <summary>A county's sums row for a month or for <see cref="NowBucket"/>.</summary>
    private static TableEntity SumsRow(string county, string bucket, CountySums sums) => new(SumsPartition(county[..2]), $"{county}_{bucket}")
    {
        ["County"] = county,
        ["Bucket"] = bucket,
        ["Sums"] = Json(sums.Total),
        ["Units"] = Json(sums.Units),
    };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Core.Serialization.CoreJson.Options);

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Core.Serialization.CoreJson.Options)!;

    /// <summary>The write of a sums row: replacing the version read (its ETag), or adding it if there was none.</summary>
    private static TableTransactionAction Write(TableEntity row, Dictionary<string, ETag> current) =>
        current.TryGetValue(row.RowKey, out var etag)
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, row);

    /// <summary>One facts row as read: the facts, the roles its county holds in the case, the two units, the list line (JSON).</summary>
    private sealed record FactsEntry(CaseFacts Facts, UnitRoles Roles, string OfficeId, string CentreId, string LineJson)
    {
        public CaseLine Line() => Parse<CaseLine>(LineJson);
    }

    /// <summary>A county's sums for one bucket: in all, and per unit (office or centre) for the county's own dashboard.</summary>
    private sealed class CountySums
    {
        public RegionSums Total { get; } = new();

        public Dictionary<string, RegionSums> Units { get; } = new(StringComparer.Ordinal);

        public void Add(FactsEntry row, bool now)
        {
            Add(Total, row.Roles);
            if (row.Roles.HasFlag(UnitRoles.Office))
            {
                Add(Unit(row.OfficeId), UnitRoles.Office);
            }

            if (row.Roles.HasFlag(UnitRoles.Centre))
            {
                Add(Unit(row.CentreId), UnitRoles.Centre);
            }

            void Add(RegionSums sums, UnitRoles roles)
            {
                if (now)
                {
                    sums.AddNow(row.Facts, roles);
                }
                else
                {
                    sums.Add(row.Facts, roles);
                }
            }
        }

        private RegionSums Unit(string id) => Units.TryGetValue(id, out var s) ? s : Units[id] = new RegionSums();
    }
}

/// <summary>A county whose sums are behind its facts, and the ETag of its marker as last written.</summary>
public sealed record DirtyCounty(string County, ETag Marker);

/// <summary>What a list of cases behind a figure shows of each.</summary>
/// <param name="ReleaseDate">The planned release date.</param>
/// <param name="ReleasedAt">When the person actually left, once recorded (facts written before it was kept have none).</param>
public sealed record CaseLine(string CaseId, string PersonName, string MaskedIdNumber, DateOnly ReleaseDate, CaseState State, string? OfficeId, DateTimeOffset? ReleasedAt = null)
{
    public static CaseLine From(Case c) => new(c.CaseId, c.Person.Name, c.Person.MaskedIdNumber, c.ReleaseDate, c.State, c.OfficeId, c.ReleasedAt);
}

/// <summary>
/// One sums row: a county's sums for a calendar month (<c>2026-03</c>) or for <see cref="RegionStatsStore.NowBucket"/>, and per unit
/// (organisation id; read only when asked for).
/// </summary>
public sealed record SumsRow(string County, string Bucket, RegionSums Sums, IReadOnlyDictionary<string, RegionSums> Units);
