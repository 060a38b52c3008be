using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Index;
using Handoff.Storage.Notices;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>The community office's (and police station's) work list, from the organisation's open cases in the index and its inbox.</summary>
public static class OfficePages
{
    public static async Task<IResult> WorkListAsync(PageRequest p)
    {
        var me = p.By.Organisation;
        if (me.Kind is OrganisationKind.Centre or OrganisationKind.Supervisor)
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status403Forbidden, "无权访问", "这一页只供社区戒毒社区康复工作站和派出所使用。");
        }

        var page = await p.Get<CaseIndexStore>().QueryAsync(me, null, null, null, 200, p.Aborted);
        var open = page.Cases.Where(c => c.State is not ("cancelled" or "agreementSigned" or "completed")).ToList();
        var mine = open.Where(c => c.OfficeId == me.Id).ToList();
        return await PageHttp.RenderAsync<OfficePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(OfficePage.Frame)] = PageHttp.Frame(p.Http, "待办"),
            [nameof(OfficePage.ToAcknowledge)] = mine.Where(c => c.State == "scheduled").OrderBy(c => c.ReleaseDate).ToList(),
            [nameof(OfficePage.ToReport)] = mine.Where(c => c.State == "released").OrderBy(c => c.NextDueAt).ToList(),
            [nameof(OfficePage.Overdue)] = open.Where(c => c.State == "lostContact"
                || c.Escalations.Any(e => e.Status == EscalationStatus.Open && e.Kind == EscalationKind.NotCollected)).ToList(),
            [nameof(OfficePage.ToSign)] = mine.Where(c => c.State == "reported").OrderBy(c => c.NextDueAt).ToList(),
            [nameof(OfficePage.Inbox)] = await p.Get<InboxStore>().ListAsync(me.Id, 20, p.Aborted),
            [nameof(OfficePage.Now)] = p.Get<WorkflowTime>().GetUtcNow(),
        });
    }
}
