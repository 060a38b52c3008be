using Handoff.Core.People;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Index;
using Handoff.Storage.Protection;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>
/// 在册名单: every organisation's complete list of its people through every stage (open cases first, then closed), filtered by stage
/// and found by name or identity number. A number is searched by its keyed hash, never by scanning clear numbers, and never travels in
/// an address: the search form is posted, and the pages after the first carry only the hash.
/// </summary>
public static class PeoplePages
{
    public const int PageSize = 50;

    /// <summary>The stages a list is filtered by: the case states, in the order a case goes through them.</summary>
    public static readonly string[] Stages = ["scheduled", "acknowledged", "released", "lostContact", "reported", "agreementSigned", "completed", "cancelled"];

    public static Task<IResult> ListAsync(PageRequest p) =>
        RenderAsync(p, p.Query("q")?.Trim() ?? "", p.Query("stage"), p.Query("k"), p.Query("after"));

    public static async Task<IResult> SearchAsync(PageRequest p)
    {
        var form = await p.Http.Request.ReadFormAsync(p.Aborted);
        var q = form["q"].ToString().Trim();
        var stage = form["stage"].ToString();
        if (CaseNumber(q) is { } caseId)
        {
            return new SeeOther($"/cases/{caseId}"); // the number every notice prints: its file (which says so if the unit may not see it)
        }

        if (LooksLikeIdNumber(q))
        {
            // Drawn here, not redirected: the number stays out of the address bar, the history and the logs.
            return await RenderAsync(p, q, stage, null, null);
        }

        return new SeeOther(Link(q.Length > 0 ? q : null, Stages.Contains(stage) ? stage : null, null, null));
    }

    private static async Task<IResult> RenderAsync(PageRequest p, string q, string? stage, string? lookup, string? after)
    {
        stage = Stages.Contains(stage) ? stage : null;
        string? error = null;
        string? name = null;
        if (LooksLikeIdNumber(q))
        {
            if (ResidentIdNumber.TryParse(q.ToUpperInvariant(), out var number, out _))
            {
                lookup = p.Get<IdNumberProtector>().Lookup(number!.Value);
            }
            else
            {
                error = "公民身份号码有误（18位，最后一位为数字或X，校验码须正确）。";
            }
        }
        else if (q.Length > 0)
        {
            name = q.Length > 50 ? q[..50] : q;
            lookup = null;
        }
        else if (lookup is not null && !IsLookup(lookup))
        {
            lookup = null;
        }

        if (after is not null && !CaseIndexStore.IsWellFormedToken(after))
        {
            after = null;
        }

        var page = error is null
            ? await p.Get<CaseIndexStore>().SearchAsync(p.By.Organisation, new CaseSearch(stage, null, lookup, name), after, PageSize, p.Aborted)
            : new CasePage([], null);
        var next = page.ContinuationToken is { } token ? Link(name, stage, lookup, token) : null;
        return await PageHttp.RenderAsync<PeoplePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(PeoplePage.Frame)] = PageHttp.Frame(p.Http, "在册名单"),
            [nameof(PeoplePage.Cases)] = page.Cases,
            [nameof(PeoplePage.Query)] = q,
            [nameof(PeoplePage.ByNumber)] = lookup is not null,
            [nameof(PeoplePage.Stage)] = stage,
            [nameof(PeoplePage.QueryError)] = error,
            [nameof(PeoplePage.Next)] = next,
            [nameof(PeoplePage.First)] = after is null ? null : Link(name, stage, lookup, null),
            [nameof(PeoplePage.Directory)] = p.Get<Core.Organisations.OrganisationDirectory>(),
            [nameof(PeoplePage.Now)] = p.Get<WorkflowTime>().GetUtcNow(),
        });
    }

    private static string Link(string? name, string? stage, string? lookup, string? after)
    {
        var query = new List<string>();
        if (name is not null)
        {
            query.Add("q=" + Uri.EscapeDataString(name));
        }

        if (lookup is not null)
        {
            query.Add("k=" + Uri.EscapeDataString(lookup));
        }

        if (stage is not null)
        {
            query.Add("stage=" + stage);
        }

        if (after is not null)
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }

        return query.Count == 0 ? "/people" : "/people?" + string.Join('&', query);
    }

    /// <summary>A case number as notices print it (HO- and 12 characters), in capitals; null if the text is not one.</summary>
    private static string? CaseNumber(string q) =>
        q.ToUpperInvariant() is var upper && Storage.Cases.CaseIds.IsCaseId(upper) ? upper : null;

    /// <summary>Text a person would type as an identity number: 15–18 characters, digits and a final X.</summary>
    private static bool LooksLikeIdNumber(string q) =>
        q.Length is >= 15 and <= 18 && q.AsSpan(0, q.Length - 1).IndexOfAnyExceptInRange('0', '9') < 0 && (char.IsAsciiDigit(q[^1]) || q[^1] is 'x' or 'X');

    /// <summary>The shape of a keyed hash (base64url or hex, at most 100 characters), so that a forged value never reaches a query.</summary>
    private static bool IsLookup(string value) =>
        value.Length is > 8 and <= 100 && value.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+/") < 0;
}
