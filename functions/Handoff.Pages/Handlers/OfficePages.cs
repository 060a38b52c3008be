using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Index;
using Handoff.Storage.Notices;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>The community office's work list (待办), from its open cases in the index and its newest unread notices.</summary>
public static class OfficePages
{
    /// <summary>Nobody collected the person at the gate and they are not yet found: what 已找到此人 ends.</summary>
    public static bool NotCollected(CaseSummary c) =>
        c.Escalations.Any(e => e.Status == EscalationStatus.Open && e.Kind == EscalationKind.NotCollected);

    /// <summary>A person to look for: lost (脱失), or nobody collected at the gate and not yet found — one state, listed once.</summary>
    public static bool IsMissing(CaseSummary c) => c.State == "lostContact" || NotCollected(c);

    public static async Task<IResult> WorkListAsync(PageRequest p)
    {
        var me = p.By.Organisation;
        if (me.Kind != OrganisationKind.CommunityOffice)
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status403Forbidden, "无权访问", "这一页只供社区戒毒社区康复工作站使用。");
        }

        var open = (await p.Get<CaseIndexStore>().OpenCasesAsync(me, cancellationToken: p.Aborted))
            .Where(c => c.State is not ("cancelled" or "agreementSigned" or "completed")).ToList();
        var mine = open.Where(c => c.OfficeId == me.Id).ToList();
        var toAcknowledge = mine.Where(c => c.State == "scheduled").OrderBy(c => c.ReleaseDate).ToList();
        // Acknowledged and not yet released: the pickup at the gate is arranged now (出所必接).
        var toCollect = mine.Where(c => c.State == "acknowledged").OrderBy(c => c.ReleaseDate).ToList();
        var overdue = open.Where(IsMissing).ToList();
        // A person nobody collected is looked for (找到此人), not also waited for: one list, counted once.
        var toReport = mine.Where(c => c.State == "released" && !overdue.Contains(c)).OrderBy(c => c.NextDueAt).ToList();
        var toSign = mine.Where(c => c.State == "reported").OrderBy(c => c.NextDueAt).ToList();
        var forms = toAcknowledge.Select(c => (c.CaseId, "acknowledgement"))
            .Concat(overdue.SelectMany(c => new[] { (c.CaseId, "report"), (c.CaseId, "found") }))
            .Concat(toReport.Select(c => (c.CaseId, "report")))
            .Concat(toSign.Select(c => (c.CaseId, "agreement")));
        return await PageHttp.RenderAsync<OfficePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(OfficePage.Frame)] = PageHttp.Frame(p.Http, "待办").Beside(forms),
            [nameof(OfficePage.ToAcknowledge)] = toAcknowledge,
            [nameof(OfficePage.ToCollect)] = toCollect,
            [nameof(OfficePage.ToReport)] = toReport,
            [nameof(OfficePage.Overdue)] = overdue,
            [nameof(OfficePage.ToSign)] = toSign,
            [nameof(OfficePage.Inbox)] = (await p.Get<InboxStore>().PageAsync(me.Id, null, 20, p.Aborted)).Items.Where(i => i.ReadAt is null).Take(5).ToList(),
            [nameof(OfficePage.Now)] = p.Get<WorkflowTime>().GetUtcNow(),
        });
    }
}
