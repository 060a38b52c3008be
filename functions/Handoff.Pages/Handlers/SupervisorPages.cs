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

        var period = Period.Parse(p.Query("period"), p.Query("year"), p.Query("n"), ChinaTimeToday(p));
        var regions = p.Get<RegionCatalog>();
        // The scope's sums are brought up to its facts first (one request when none is behind): a step counts at once, not at the next catch-up.
        var stats = p.Get<RegionStatsStore>();
        await stats.CatchUpAsync(scope.Province, scope.ScopePrefix, p.Aborted);
        var rows = await stats.SumsAsync(scope.Province, scope.ScopePrefix, period.FirstWeek, period.LastWeek, p.Aborted);
        var inPeriod = rows.Where(r => r.Bucket != RegionStatsStore.NowBucket && period.Contains(r.Bucket)).ToList();
        var now = rows.Where(r => r.Bucket == RegionStatsStore.NowBucket).ToList();

        // One level down: a province's cities, a city's counties; a county is its own only row.
        string Child(string county) => scope.IsProvince ? county[..4] + "00" : county;
        var children = inPeriod.Select(r => Child(r.County)).Concat(now.Select(r => Child(r.County))).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = children.Select(code => new DashboardRow(
            code,
            Name(regions, code),
            scope.IsCounty ? null : $"/supervisor?region={code}&{period.Query}",
            Sum(inPeriod.Where(r => Child(r.County) == code)),
            Sum(now.Where(r => Child(r.County) == code)))).ToList();
        var weeks = period.Weeks.Select(w => new DashboardWeek(w, CaseFacts.WeekStart(w), Sum(inPeriod.Where(r => r.Bucket == w)))).ToList();
        var trend = JsonSerializer.Serialize(new
        {
            labels = weeks.Select(w => $"{w.Start.Month}月{w.Start.Day}日").ToList(),
            registered = weeks.Select(w => w.Sums.Registered).ToList(),
            reportRate = weeks.Select(w => w.Sums.Rate(Measure.Report) is { } r ? Math.Round(r * 100, 1) : (double?)null).ToList(),
        }).Replace("<", "\\u003c", StringComparison.Ordinal);

        var escalations = await OpenEscalationsAsync(p, scope);
        var model = new DashboardModel(
            scope.Value, Name(regions, scope.Value), period, Sum(inPeriod), Sum(now), table, weeks, trend, escalations,
            Parent(scope, p.By.Organisation.Region, regions, period));
        return await PageHttp.RenderAsync<SupervisorPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(SupervisorPage.Frame)] = PageHttp.Frame(p.Http, "督导看板"),
            [nameof(SupervisorPage.Model)] = model,
            [nameof(SupervisorPage.Directory)] = p.Get<OrganisationDirectory>(),
        });
    }

    /// <summary>The cases behind one figure: <c>measure</c> (a <see cref="Measure"/>, or registered, lost, found) and <c>outcome</c> (met, missed).</summary>
    public static async Task<IResult> CasesAsync(PageRequest p)
    {
        if (Scope(p) is not { } scope)
        {
            return await RefuseAsync(p);
        }

        var period = Period.Parse(p.Query("period"), p.Query("year"), p.Query("n"), ChinaTimeToday(p));
        var measureName = p.Query("measure") ?? "registered";
        var outcome = p.Query("outcome");
        Func<string, CaseFacts, bool> match;
        string heading;
        if (Enum.TryParse<Measure>(measureName, out var measure))
        {
            var met = outcome != "missed";
            match = (week, f) => period.Contains(week) && f.Steps.TryGetValue(measure, out var o) && o.Due && o.Met == met;
            heading = $"{Zh.Measure(measure)}：{(met ? "按时" : "超期")}";
        }
        else
        {
            (match, heading) = measureName switch
            {
                "lost" => ((Func<string, CaseFacts, bool>)((_, f) => f.Open && f.LostNow), "当前脱失"),
                "found" => ((week, f) => period.Contains(week) && f.Found, "本期找回"),
                _ => ((week, _) => period.Contains(week), "出所通报"),
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

    private static bool InScope(OrganisationDirectory directory, CaseSummary c, RegionCode scope) =>
        directory.Find(c.OfficeId)?.Region.Value.StartsWith(scope.ScopePrefix, StringComparison.Ordinal) ?? false;

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

    private static RegionSums Sum(IEnumerable<SumsRow> rows) => rows.Aggregate(new RegionSums(), (sum, r) => sum.Plus(r.Sums));

    private static DateOnly ChinaTimeToday(PageRequest p) => Core.Time.ChinaTime.LocalDate(p.Get<WorkflowTime>().GetUtcNow());

    /// <summary>A CSV cell: quoted when it holds a separator, a quote or a line break; a leading <c>= + - @</c> defused with <c>'</c>
    /// so that a spreadsheet never reads a name as a formula.</summary>
    private static string Csv(string value)
    {
        var formula = value.Length > 0 && value[0] is '=' or '+' or '-' or '@';
        return formula || value.IndexOfAny([',', '"', '\r', '\n']) >= 0
            ? "\"" + (formula ? "'" : "") + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}

/// <summary>A statistics period: a month, quarter or year, as the weeks whose Thursday falls in it (ISO 8601's rule for years).</summary>
public sealed record Period(string Kind, int Year, int Number, DateOnly From, DateOnly To, IReadOnlyList<string> Weeks)
{
    public string FirstWeek => Weeks.Count > 0 ? Weeks[0] : "";

    public string LastWeek => Weeks.Count > 0 ? Weeks[^1] : "";

    public string Label => Kind switch
    {
        "year" => $"{Year}年",
        "quarter" => $"{Year}年第{Number}季度",
        _ => $"{Year}年{Number}月",
    };

    public string Query => $"period={Kind}&year={Year}&n={Number}";

    public bool Contains(string week) => Weeks.Contains(week, StringComparer.Ordinal);

    public static Period Parse(string? kind, string? year, string? number, DateOnly today)
    {
        kind = kind is "quarter" or "year" ? kind : "month";
        var y = int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var yy) && yy is >= 2000 and <= 2100 ? yy : today.Year;
        var max = kind == "quarter" ? 4 : kind == "year" ? 1 : 12;
        var fallback = kind == "quarter" ? (today.Month + 2) / 3 : kind == "year" ? 1 : today.Month;
        var n = int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var nn) && nn >= 1 && nn <= max ? nn : fallback;
        var (from, to) = kind switch
        {
            "year" => (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31)),
            "quarter" => (new DateOnly(y, 3 * n - 2, 1), new DateOnly(y, 3 * n - 2, 1).AddMonths(3).AddDays(-1)),
            _ => (new DateOnly(y, n, 1), new DateOnly(y, n, 1).AddMonths(1).AddDays(-1)),
        };
        var weeks = new List<string>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (d.DayOfWeek == DayOfWeek.Thursday)
            {
                weeks.Add(CaseFacts.IsoWeek(d));
            }
        }

        return new Period(kind, y, kind == "year" ? 1 : n, CaseFacts.WeekStart(weeks[0]), CaseFacts.WeekStart(weeks[^1]).AddDays(6), weeks);
    }
}

public sealed record DashboardRow(string Code, string Name, string? Link, RegionSums Period, RegionSums Now);

public sealed record DashboardWeek(string Week, DateOnly Start, RegionSums Sums);

public sealed record DashboardParent(string Name, string Link);

public sealed record DashboardModel(
    string Scope,
    string ScopeName,
    Period Period,
    RegionSums Total,
    RegionSums Now,
    IReadOnlyList<DashboardRow> Rows,
    IReadOnlyList<DashboardWeek> Weeks,
    string TrendJson,
    IReadOnlyList<EscalationsEndpoints.EscalationView> Escalations,
    DashboardParent? Parent)
{
    public string SelfLink => $"/supervisor?region={Scope}&{Period.Query}";

    public string CasesLink(string measure, string? outcome) =>
        $"/supervisor/cases?region={Scope}&{Period.Query}&measure={measure}" + (outcome is null ? "" : $"&outcome={outcome}");
}
