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

    /// <summary>
    /// A person to look for: lost (脱失: no report within the period, after a release, an order or a change of place), out of contact for
    /// the policy's days (失联), or nobody collected at the gate and not yet found — one person, listed once.
    /// </summary>
    public static bool IsMissing(CaseSummary c) => c.State == "lostContact" || NotCollected(c)
        || c.Escalations.Any(e => e.Status == EscalationStatus.Open && e.Kind is EscalationKind.NotReported or EscalationKind.NoContact);

    /// <summary>
    /// When the next test falls due (the police set the frequency, 戒毒条例 19(二); <c>TestIntervalDays</c> is the policy's): from the
    /// last test taken, or from the start of the period. Null when no period is under way.
    /// </summary>
    public static DateOnly? NextTestOn(CaseSummary c, int intervalDays) =>
        c.Community is { StartedOn: { } start, EndReason: null, SuspendedAt: null } k
            ? (k.LastTestAt is { } last ? Core.Time.ChinaTime.LocalDate(last) : start).AddDays(intervalDays)
            : null;

    public static async Task<IResult> WorkListAsync(PageRequest p)
    {
        var me = p.By.Organisation;
        if (me.Kind != OrganisationKind.CommunityOffice)
        {
            return await PageHttp.ErrorAsync(p.Http, StatusCodes.Status403Forbidden, "无权访问", "这一页只供社区戒毒社区康复工作站使用。");
        }

        var all = await p.Get<CaseIndexStore>().OpenCasesAsync(me, cancellationToken: p.Aborted);
        var now = p.Get<WorkflowTime>().GetUtcNow();
        var today = Core.Time.ChinaTime.LocalDate(now);
        var policy = p.Get<Storage.Cases.WorkflowEnvironment>().Context(now).PolicyOf(me.Id);
        // Under way (社区执行中): the period's own work — tests due, absences, violations to report, changes of place.
        var executing = all.Where(c => c.OfficeId == me.Id && c.State is "agreementSigned" && c.Community is { EndReason: null }).ToList();
        var open = all.Where(c => c.State is not ("cancelled" or "agreementSigned" or "completed" or "ended" or "suspended")).ToList();
        var mine = open.Where(c => c.OfficeId == me.Id).ToList();
        var toAcknowledge = mine.Where(c => c.State == "scheduled"
                || (c.State == "ordered" && c.Deadlines.Any(d => d.Step == DeadlineStep.Acknowledgement && d.CompletedAt is null && d.Status != DeadlineStatus.Withdrawn)))
            .OrderBy(c => c.ReleaseDate).ToList();
        // Acknowledged and not yet released: the pickup at the gate is arranged now (出所必接).
        var toCollect = mine.Where(c => c.State == "acknowledged").OrderBy(c => c.ReleaseDate).ToList();
        // Whom to look for, whatever the state: 失联 and a person who did not report after a change of place are under way (agreementSigned).
        var overdue = all.Where(c => c.OfficeId == me.Id && c.State is not ("cancelled" or "completed" or "ended") && IsMissing(c)).ToList();
        // A person nobody collected is looked for (找到此人), not also waited for: one list, counted once.
        // An order not yet acknowledged is listed once, to acknowledge; then to report.
        var toReport = mine.Where(c => (c.State == "released" || (c.State == "ordered" && !toAcknowledge.Contains(c))) && !overdue.Contains(c))
            .OrderBy(c => c.NextDueAt).ToList();
        var testsDue = executing.Where(c => c.Community!.Move is null && NextTestOn(c, policy.TestIntervalDays) is { } due && due <= today.AddDays(7))
            .OrderBy(c => NextTestOn(c, policy.TestIntervalDays)).ToList();
        var away = executing.Where(c => c.Community!.AwaySince is not null).OrderBy(c => c.Community!.AwaySince).ToList();
        var toTellPolice = all.Where(c => c.OfficeId == me.Id && c.Community is { } k && k.ViolationsReported < k.Grounds.Count).ToList();
        var movesOut = all.Where(c => c.Community?.Move is { } m && m.FromOfficeId == me.Id).ToList();
        var movesIn = all.Where(c => c.Community?.Move is { } m && m.ToOfficeId == me.Id).ToList();
        var toSign = mine.Where(c => c.State == "reported").OrderBy(c => c.NextDueAt).ToList();
        var forms = toAcknowledge.Select(c => (c.CaseId, "acknowledgement"))
            .Concat(overdue.SelectMany(c => new[] { (c.CaseId, "report"), (c.CaseId, "found"), (c.CaseId, "interview") }))
            .Concat(toReport.Select(c => (c.CaseId, "report")))
            .Concat(toSign.Select(c => (c.CaseId, "agreement")))
            .Concat(testsDue.Select(c => (c.CaseId, "test")))
            .Concat(away.Select(c => (c.CaseId, "absence-end")))
            .Concat(toTellPolice.Select(c => (c.CaseId, "violation-report")))
            .Concat(movesIn.SelectMany(c => new[] { (c.CaseId, "place-change-acknowledgement"), (c.CaseId, "report"), (c.CaseId, "agreement") }));
        return await PageHttp.RenderAsync<OfficePage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(OfficePage.Frame)] = PageHttp.Frame(p.Http, "待办").Beside(forms),
            [nameof(OfficePage.ToAcknowledge)] = toAcknowledge,
            [nameof(OfficePage.ToCollect)] = toCollect,
            [nameof(OfficePage.ToReport)] = toReport,
            [nameof(OfficePage.Overdue)] = overdue,
            [nameof(OfficePage.ToSign)] = toSign,
            [nameof(OfficePage.TestsDue)] = testsDue,
            [nameof(OfficePage.Away)] = away,
            [nameof(OfficePage.ToTellPolice)] = toTellPolice,
            [nameof(OfficePage.MovesOut)] = movesOut,
            [nameof(OfficePage.MovesIn)] = movesIn,
            [nameof(OfficePage.Executing)] = executing.Count,
            [nameof(OfficePage.TestIntervalDays)] = policy.TestIntervalDays,
            [nameof(OfficePage.Directory)] = p.Get<OrganisationDirectory>(),
            [nameof(OfficePage.Inbox)] = (await p.Get<InboxStore>().PageAsync(me.Id, null, 20, p.Aborted)).Items.Where(i => i.ReadAt is null).Take(5).ToList(),
            [nameof(OfficePage.Now)] = now,
        });
    }
}
