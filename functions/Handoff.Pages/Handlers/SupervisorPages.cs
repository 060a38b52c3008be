using System.Globalization;
using System.Text;
using System.Text.Json;
using Handoff.Api.Endpoints;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Core.Statistics;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Index;
using Handoff.Storage.Statistics;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>The supervisor's dashboard, the cases behind its figures, the overdue list as CSV, and "read" on an escalation.</summary>
public static class SupervisorPages
{
    public static async Task<IResult> DashboardAsync(PageRequest p)
    {
        if (Scope(p) is not { } scope)
        {
            return await RefuseAsync(p);
        }

        var today = ChinaTimeToday(p);
        var period = PeriodAsked(p, today);
        var regions = p.Get<RegionCatalog>();
        var directory = p.Get<OrganisationDirectory>();
        // The scope's sums are brought up to its facts first (one request when none is behind): a step counts at once, not at the next catch-up.
        var stats = p.Get<RegionStatsStore>();
        await stats.CatchUpAsync(scope.Province, scope.ScopePrefix, p.Aborted);
        var rows = await stats.SumsAsync(scope.Province, scope.ScopePrefix, period.TrendFirstMonth, period.LastMonth, units: scope.IsCounty, p.Aborted);
        var inPeriod = rows.Where(r => r.Bucket != RegionStatsStore.NowBucket && period.Contains(r.Bucket)).ToList();
        var now = rows.Where(r => r.Bucket == RegionStatsStore.NowBucket).ToList();

        var table = scope.IsCounty ? UnitRows(scope, directory, inPeriod, now) : RegionRows(scope, regions, period, inPeriod, now);
        var months = period.Trend(today)
            .Select(m => new DashboardMonth(m, CaseFacts.MonthStart(m), Sum(rows.Where(r => r.Bucket == m)))).ToList();
        var trend = JsonSerializer.Serialize(new
        {
            labels = months.Select(m => $"{m.Start.Year}年{m.Start.Month}月").ToList(),
            registered = months.Select(m => m.Sums.Registered).ToList(),
            reportRate = months.Select(m => m.Sums.Rate(Measure.Report) is { } r ? Math.Round(r * 100, 1) : (double?)null).ToList(),
        }).Replace("<", "\\u003c", StringComparison.Ordinal);

        var escalations = await OpenEscalationsAsync(p, scope);
        var model = new DashboardModel(
            scope.Value, Name(regions, scope.Value), period, Sum(inPeriod), Sum(now), table, months, trend, escalations,
            Parent(scope, p.By.Organisation.Region, regions, period));
        return await PageHttp.RenderAsync<SupervisorPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(SupervisorPage.Frame)] = PageHttp.Frame(p.Http, "督导看板"),
            [nameof(SupervisorPage.Model)] = model,
            [nameof(SupervisorPage.Directory)] = directory,
        });
    }

    /// <summary>
    /// The cases behind one figure: <c>measure</c> (a <see cref="Measure"/>, or registered, released, lost, found) and <c>outcome</c>
    /// (met, missed) — each counted, as on the dashboard, where the unit responsible for it is (<see cref="Measures"/>).
    /// </summary>
    public static async Task<IResult> CasesAsync(PageRequest p)
    {
        if (Scope(p) is not { } scope)
        {
            return await RefuseAsync(p);
        }

        var period = PeriodAsked(p, ChinaTimeToday(p));
        var measureName = p.Query("measure") ?? "registered";
        var outcome = p.Query("outcome");
        Func<CaseFacts, UnitRoles, bool> match;
        string heading;
        if (Enum.TryParse<Measure>(measureName, out var measure) && Enum.IsDefined(measure))
        {
            var met = outcome != "missed";
            var responsible = Measures.Responsible(measure);
            match = (f, roles) => roles.HasFlag(responsible) && period.Contains(f.Month) && f.Steps.TryGetValue(measure, out var o) && o.Due && o.Met == met;
            heading = $"{Zh.Measure(measure)}：{(met ? "按时" : "超期")}";
        }
        else
        {
            (match, heading) = measureName switch
            {
                "lost" => ((Func<CaseFacts, UnitRoles, bool>)((f, roles) => roles.HasFlag(UnitRoles.Office) && f.Open && f.LostNow), "当前脱失"),
                "found" => ((f, roles) => roles.HasFlag(UnitRoles.Office) && period.Contains(f.Month) && f.Found, "本期找回"),
                "released" => ((f, roles) => roles.HasFlag(UnitRoles.Centre) && period.Contains(f.Month), "本辖区戒毒所出所"),
                _ => ((f, roles) => roles.HasFlag(UnitRoles.Office) && period.Contains(f.Month), "出所通报"),
            };
        }

        var (cases, truncated) = await p.Get<RegionStatsStore>().CasesAsync(scope.Province, scope.ScopePrefix, match, 200, p.Aborted);
        return await PageHttp.RenderAsync<CaseListPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(CaseListPage.Frame)] = PageHttp.Frame(p.Http, heading),
            [nameof(CaseListPage.Heading)] = $"{Name(p.Get<RegionCatalog>(), scope.Value)} · {period.Label} · {heading}（{cases.Count}{(truncated ? "+" : "")}）",
            [nameof(CaseListPage.Back)] = $"/supervisor?region={scope.Value}&{period.Query}",
            [nameof(CaseListPage.Cases)] = cases,
            [nameof(CaseListPage.Truncated)] = truncated,
            [nameof(CaseListPage.Directory)] = p.Get<OrganisationDirectory>(),
        });
    }

    /// <summary>
    /// One level down from a province or city: a province's cities, a city's counties (its city-level units, such as a centre, on a row
    /// of their own: 市本级), each linking to its own dashboard.
    /// </summary>
    private static List<DashboardRow> RegionRows(RegionCode scope, RegionCatalog regions, Period period, List<SumsRow> inPeriod, List<SumsRow> now)
    {
        string Child(string county) => scope.IsProvince ? county[..4] + "00" : county;
        return inPeriod.Concat(now).Select(r => Child(r.County)).Distinct().Order(StringComparer.Ordinal)
            .Select(code => new DashboardRow(
                code,
                code == scope.Value ? $"{Name(regions, code)}（市本级）" : Name(regions, code),
                code == scope.Value ? null : $"/supervisor?region={code}&{period.Query}",
                Sum(inPeriod.Where(r => Child(r.County) == code)),
                Sum(now.Where(r => Child(r.County) == code))))
            .ToList();
    }

    /// <summary>A county's units: each community office (and centre) of the county in the directory, with its figures, and any other unit that has some.</summary>
    private static List<DashboardRow> UnitRows(RegionCode scope, OrganisationDirectory directory, List<SumsRow> inPeriod, List<SumsRow> now)
    {
        var units = directory.All
            .Where(o => o.Kind is OrganisationKind.CommunityOffice or OrganisationKind.Centre && o.Region.Value == scope.Value)
            .Select(o => o.Id)
            .Concat(inPeriod.Concat(now).SelectMany(r => r.Units.Keys))
            .Distinct(StringComparer.Ordinal);
        return units
            .Select(id => new DashboardRow(
                id,
                directory.Find(id)?.Name ?? id,
                null,
                Sum(inPeriod.Select(r => r.Units.GetValueOrDefault(id)).OfType<RegionSums>()),
                Sum(now.Select(r => r.Units.GetValueOrDefault(id)).OfType<RegionSums>())))
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The overdue cases of the scope as CSV, UTF-8 with a byte-order mark so that Excel opens the Chinese text.</summary>
    public static async Task<IResult> OverdueCsvAsync(PageRequest p)
    {
        if (Scope(p) is not { } scope)
        {
            return await RefuseAsync(p);
        }

        var directory = p.Get<OrganisationDirectory>();
        var csv = new StringBuilder("\uFEFF姓名,公民身份号码,状态,计划出所日期,实际出所时间,接收工作站,督办事项,督办级别,督办开始,案件编号\r\n");
        var index = p.Get<CaseIndexStore>();
        string? token = null;
        var rows = 0;
        do
        {
            var page = await index.QueryAsync(p.By.Organisation, null, true, token, 200, p.Aborted);
            foreach (var c in page.Cases.Where(c => c.Overdue && InScope(directory, c, scope)))
            {
                var open = c.Escalations.Where(e => e.Status == Core.Cases.EscalationStatus.Open).ToList();
                foreach (var e in open.Count == 0 ? [null] : open.Cast<Core.Cases.Escalation?>())
                {
                    csv.Append(string.Join(',', new[]
                    {
                        c.PersonName, c.MaskedIdNumber, Zh.State(c.State), Zh.Date(c.ReleaseDate), c.ReleasedAt is { } released ? Zh.Instant(released) : "", directory.Find(c.OfficeId)?.Name ?? c.OfficeId,
                        e is null ? "期限已过" : Zh.Escalation(e.Kind), e is null ? "" : Zh.LevelOf(e, directory), e is null ? "" : Zh.Instant(e.OpenedAt), c.CaseId,
                    }.Select(Csv))).Append("\r\n");
                    rows++;
                }
            }

            token = page.ContinuationToken is { } next && next != "c:" ? next : null;
        }
        while (token is not null && rows < 10_000);

        var name = $"overdue-{scope.Value}-{ChinaTimeToday(p):yyyyMMdd}.csv";
        return Results.File(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(csv.ToString()), "text/csv; charset=utf-8", name);
    }

    /// <summary>
    /// The period asked for: links carry <c>n</c>; the form has a month and a quarter of its own, so switching 月 → 季度 shows the quarter
    /// of the month shown (not the quarter numbered like the month).
    /// </summary>
    private static Period PeriodAsked(PageRequest p, DateOnly today)
    {
        var kind = p.Query("period");
        var n = kind switch
        {
            "quarter" => p.Query("quarter") ?? p.Query("n"),
            "year" => "1",
            _ => p.Query("month") ?? p.Query("n"),
        };
        return Period.Parse(kind, p.Query("year"), n, today);
    }

    /// <summary>The region asked for (<c>?region=</c>, default the supervisor's own), if the supervisor may see it.</summary>
    private static RegionCode? Scope(PageRequest p)
    {
        var me = p.By.Organisation;
        if (me.Kind != OrganisationKind.Supervisor)
        {
            return null;
        }

        if (p.Query("region") is not { Length: > 0 } asked)
        {
            return me.Region;
        }

        return RegionCode.TryParse(asked, out var code) && code.Value.Value.StartsWith(me.Region.ScopePrefix, StringComparison.Ordinal) ? code : null;
    }

    private static Task<IResult> RefuseAsync(PageRequest p) => PageHttp.ErrorAsync(p.Http, StatusCodes.Status403Forbidden, "无权访问",
        p.By.Organisation.Kind == OrganisationKind.Supervisor ? "本单位无权查看这个地区。" : "督导看板只供禁毒办和戒毒管理局使用。");

    /// <summary>A case is the region's when its receiving office or its releasing centre is there: a centre's own escalations (a late
    /// notice, a release not recorded) are its region's to see, wherever the person goes.</summary>
    private static bool InScope(OrganisationDirectory directory, CaseSummary c, RegionCode scope) =>
        new[] { c.OfficeId, c.CentreId }.Any(id => directory.Find(id)?.Region.Value.StartsWith(scope.ScopePrefix, StringComparison.Ordinal) ?? false);

    private static async Task<IReadOnlyList<EscalationsEndpoints.EscalationView>> OpenEscalationsAsync(PageRequest p, RegionCode scope)
    {
        var directory = p.Get<OrganisationDirectory>();
        var page = await p.Get<CaseIndexStore>().QueryAsync(p.By.Organisation, null, true, null, 100, p.Aborted);
        return page.Cases.Where(c => InScope(directory, c, scope))
            .SelectMany(c => c.Escalations.Where(e => e.Status == Core.Cases.EscalationStatus.Open)
                .Select(e => new EscalationsEndpoints.EscalationView(c.CaseId, c.PersonName, c.MaskedIdNumber, c.State, e)))
            .OrderByDescending(v => v.Escalation.Level).ThenBy(v => v.Escalation.OpenedAt)
            .Take(100)
            .ToList();
    }

    /// <summary>One level up from the region shown, never above the supervisor's own; none when it shows its own.</summary>
    private static DashboardParent? Parent(RegionCode scope, RegionCode own, RegionCatalog regions, Period period)
    {
        if (scope.Value == own.Value)
        {
            return null;
        }

        var up = scope.IsCounty ? scope.CityCode : scope.ProvinceCode;
        if (!up.Value.StartsWith(own.ScopePrefix, StringComparison.Ordinal))
        {
            up = own;
        }

        return new DashboardParent(Name(regions, up.Value), $"/supervisor?region={up.Value}&{period.Query}");
    }

    private static string Name(RegionCatalog regions, string code) =>
        RegionCode.TryParse(code, out var r) && regions.Name(r.Value) is { } name ? name : code;

    private static RegionSums Sum(IEnumerable<SumsRow> rows) => Sum(rows.Select(r => r.Sums));

    private static RegionSums Sum(IEnumerable<RegionSums> sums) => sums.Aggregate(new RegionSums(), (sum, s) => sum.Plus(s));

    private static DateOnly ChinaTimeToday(PageRequest p) => Core.Time.ChinaTime.LocalDate(p.Get<WorkflowTime>().GetUtcNow());

    /// <summary>A CSV cell: quoted when it holds a separator, a quote or a line break; a leading <c>= + - @</c> defused with <c>'</c>
    /// so that a spreadsheet never reads a name as a formula.</summary>
    private static string Csv(string? value)
    {
        value ??= "";
        var formula = value.Length > 0 && value[0] is '=' or '+' or '-' or '@';
        return formula || value.IndexOfAny([',', '"', '\r', '\n']) >= 0
            ? "\"" + (formula ? "'" : "") + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}

public sealed record DashboardRow(string Code, string Name, string? Link, RegionSums Period, RegionSums Now);

/// <summary>One month of the trend: its first day and the scope's sums for it.</summary>
public sealed record DashboardMonth(string Month, DateOnly Start, RegionSums Sums);

public sealed record DashboardParent(string Name, string Link);

public sealed record DashboardModel(
    string Scope,
    string ScopeName,
    Period Period,
    RegionSums Total,
    RegionSums Now,
    IReadOnlyList<DashboardRow> Rows,
    IReadOnlyList<DashboardMonth> Months,
    string TrendJson,
    IReadOnlyList<EscalationsEndpoints.EscalationView> Escalations,
    DashboardParent? Parent)
{
    public string SelfLink => $"/supervisor?region={Scope}&{Period.Query}";

    /// <summary>A county's table lists its units (offices, centres); a city's and a province's, the regions one level down.</summary>
    public bool ByUnit => !Scope.EndsWith("00", StringComparison.Ordinal);

    public string CasesLink(string measure, string? outcome) =>
        $"/supervisor/cases?region={Scope}&{Period.Query}&measure={measure}" + (outcome is null ? "" : $"&outcome={outcome}");
}
