using Handoff.Api.Endpoints;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Notices;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>
/// Every organisation's inbox (通知): its notices newest first, a page at a time, each naming the person and marked 已阅 by the person
/// signed in; above them the reminders due today (<see cref="Reminders"/>, a policy). An escalation's notice is marked read in its
/// case too, so the file shows who read it and when.
/// </summary>
public static class InboxPages
{
    public const int PageSize = 20;

    public static async Task<IResult> InboxAsync(PageRequest p)
    {
        var me = p.By.Organisation;
        var take = int.TryParse(p.Query("take"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t)
            ? Math.Clamp(t, 1, InboxStore.MaxPage) : PageSize;
        var after = p.Query("after") is { Length: > 0 } a && InboxStore.IsRowKey(a) ? a : null;
        var escalations = p.Query("kind") == "escalation";
        var page = await p.Get<InboxStore>().PageAsync(me.Id, after, take, p.Aborted, escalations);
        var now = p.Get<WorkflowTime>().GetUtcNow();
        return await PageHttp.RenderAsync<InboxPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(InboxPage.Frame)] = PageHttp.Frame(p.Http, "通知"),
            [nameof(InboxPage.Items)] = page.Items,
            [nameof(InboxPage.Next)] = page.ContinuationToken is { } next ? Link(next, take, escalations) : null,
            [nameof(InboxPage.First)] = after is null ? null : Link(null, take, escalations),
            [nameof(InboxPage.EscalationsOnly)] = escalations,
            [nameof(InboxPage.Take)] = take,
            [nameof(InboxPage.Reminders)] = after is null ? await RemindersAsync(p, now) : [],
            [nameof(InboxPage.Now)] = now,
            [nameof(InboxPage.Directory)] = p.Get<OrganisationDirectory>(),
            [nameof(InboxPage.Self)] = Link(after, take, escalations),
        });
    }

    private static string Link(string? after, int take, bool escalations)
    {
        var query = (escalations ? "&kind=escalation" : "") + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)) + (take == PageSize ? "" : $"&take={take}");
        return query.Length == 0 ? "/inbox" : "/inbox?" + query[1..];
    }

    /// <summary>已阅 on one notice of the inbox: an escalation's is recorded in its case (and then every notice of it is marked read).</summary>
    public static async Task<IResult> MarkReadAsync(PageRequest p)
    {
        _ = p.ReceivedAt;
        var form = await p.Http.Request.ReadFormAsync(p.Aborted);
        var back = PageCommands.LocalReturn(form["returnTo"], "/inbox");
        var inbox = p.Get<InboxStore>();
        if (await inbox.FindAsync(p.By.Organisation.Id, form["notice"].ToString(), p.Aborted) is not { } item)
        {
            return new SeeOther(PageCommands.WithOutcome(back, "err", "not-found"));
        }

        if (item.Notice.EscalationId is { } escalationId)
        {
            return await EscalationReadAsync(p, escalationId, form["idempotencyKey"], back);
        }

        await inbox.MarkReadAsync(p.By.Organisation.Id, item, Reader(p), p.ReceivedAt, p.Aborted);
        return new SeeOther(PageCommands.WithOutcome(back, "msg", "read"));
    }

    /// <summary>已阅 on an escalation (the supervisors' list, or an inbox): a step of its case, then its notices in the inbox.</summary>
    public static async Task<IResult> EscalationReadFormAsync(PageRequest p)
    {
        _ = p.ReceivedAt; // stamped before the form is read: the step's legal time is when the form arrived
        var form = await p.Http.Request.ReadFormAsync(p.Aborted);
        return await EscalationReadAsync(p, p.Route("id"), form["idempotencyKey"], PageCommands.LocalReturn(form["returnTo"], "/inbox"));
    }

    private static async Task<IResult> EscalationReadAsync(PageRequest p, string escalationId, string? idempotencyKey, string back)
    {
        var outcome = CaseIds.CaseOfEscalation(escalationId) is { } caseId
            ? await PageCommands.SendAsync(p, caseId, CommandRequests.EscalationRead(p.By.Actor, escalationId), new { escalationId }, idempotencyKey)
            : PageCommands.Outcome.Refused(new Rejection(RejectionKind.NotFound, "not-found", null, "No such escalation."));
        if (!outcome.Succeeded)
        {
            return new SeeOther(PageCommands.WithOutcome(back, "err", outcome.Code ?? "error"));
        }

        // The case holds the reading (accepted in its inbox even when still being applied); the notices follow it.
        await p.Get<InboxStore>().MarkEscalationReadAsync(p.By.Organisation.Id, escalationId, Reader(p), p.ReceivedAt, p.Aborted);
        return new SeeOther(PageCommands.WithOutcome(back, "msg", outcome.Pending ? "pending" : "read"));
    }

    /// <summary>Who read: the person signed in (as the case records them), else the organisation.</summary>
    private static string Reader(PageRequest p) => p.By.PersonName ?? p.By.Organisation.Name;

    /// <summary>Today's reminders from the organisation's open cases (the cases it is a party to, every page of them).</summary>
    private static async Task<IReadOnlyList<InboxReminder>> RemindersAsync(PageRequest p, DateTimeOffset now)
    {
        var me = p.By.Organisation;
        if (me.Kind == OrganisationKind.Supervisor)
        {
            return [];
        }

        var policy = p.Get<HandoffPolicy>();
        var today = ChinaTime.LocalDate(now);
        var open = await p.Get<CaseIndexStore>().OpenCasesAsync(me, cancellationToken: p.Aborted);
        return [.. open
            .Where(c => c.State is "scheduled" or "acknowledged" or "released")
            .Select(c => (Case: c, Role: RoleOf(c, me.Id)))
            .SelectMany(x => Reminders.Due(x.Case.Deadlines, x.Role, today, policy).Select(d => new InboxReminder(x.Case, d, x.Role)))
            .OrderBy(r => r.Deadline.DueAt)];
    }

    public static CaseRole RoleOf(CaseSummary c, string organisationId) =>
        c.CentreId == organisationId ? CaseRole.Centre
        : c.OfficeId == organisationId ? CaseRole.Office
        : c.PoliceStationId == organisationId ? CaseRole.PoliceStation
        : c.DecisionAuthorityId == organisationId ? CaseRole.DecisionAuthority
        : CaseRole.Other;
}

/// <summary>A reminder: a case's deadline an organisation should act on soon, in its part in the case.</summary>
public sealed record InboxReminder(CaseSummary Case, Deadline Deadline, CaseRole Role);
