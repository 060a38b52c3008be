using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Index;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>
/// The police's page: for a 派出所 the people of its area, for a deciding 公安机关 the people it decided on — whom to look for (脱失, or
/// nobody collected at the gate: the station records 已找到此人), who is about to leave a centre, who has left and not yet reported.
/// Only what they act on or must know: no 签收, no agreement.
/// </summary>
public static class PolicePages
{
    public static async Task<IResult> WorkListAsync(PageRequest p)
    {
        var me = p.By.Organisation;
        if (me.Kind is not (OrganisationKind.PoliceStation or OrganisationKind.DecisionAuthority))
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status403Forbidden, "无权访问", "这一页只供派出所和作出决定的公安机关使用。");
        }

        var mine = (await p.Get<CaseIndexStore>().OpenCasesAsync(me, cancellationToken: p.Aborted)).Where(c => c.PoliceStationId == me.Id || c.DecisionAuthorityId == me.Id)
            .Where(c => c.State is not ("cancelled" or "agreementSigned" or "completed")).ToList();
        var toFind = mine.Where(OfficePages.IsMissing).ToList();
        var coming = mine.Where(c => c.State is "scheduled" or "acknowledged").OrderBy(c => c.ReleaseDate).ToList();
        var released = mine.Where(c => c.State == "released" && !toFind.Contains(c)).OrderBy(c => c.NextDueAt).ToList();
        var station = me.Kind == OrganisationKind.PoliceStation;
        return await PageHttp.RenderAsync<PolicePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(PolicePage.Frame)] = PageHttp.Frame(p.Http, station ? "本辖区人员" : "本机关决定的人员")
                .Beside(station ? toFind.Select(c => (c.CaseId, "found")) : []),
            [nameof(PolicePage.Station)] = station,
            [nameof(PolicePage.ToFind)] = toFind,
            [nameof(PolicePage.Coming)] = coming,
            [nameof(PolicePage.Released)] = released,
            [nameof(PolicePage.Directory)] = p.Get<OrganisationDirectory>(),
            [nameof(PolicePage.Now)] = p.Get<WorkflowTime>().GetUtcNow(),
        });
    }
}
