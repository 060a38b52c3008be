using Handoff.Core.Notices;
using Handoff.Core.Notices.Channels;
using Handoff.Pages.Components;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Notices.Channels;

namespace Handoff.Pages.Handlers;

/// <summary>
/// 通知渠道 (issue 22): an organisation's group robots and e-mail as configured for it — where each goes (the credential masked), which
/// notices, the duty officers mentioned (masked), what was sent, what waits, and the last error — with 发送测试消息, which sends through
/// the same queue, rate limit and records as any notice, so what it shows is what an escalation would meet.
/// </summary>
public static class ChannelPages
{
    public static async Task<IResult> ChannelsAsync(PageRequest p)
    {
        var me = p.By.Organisation;
        var channels = p.Get<ChannelDirectory>();
        var store = p.Get<ChannelStore>();
        var rows = new List<ChannelRow>();
        foreach (var target in channels.Of(me.Id))
        {
            var (state, _) = await store.ReadStateAsync(target.Key, p.Aborted);
            rows.Add(new ChannelRow(target, state, await store.PendingCountAsync(target.Key, ChannelsPage.PendingShown + 1, p.Aborted)));
        }

        return await PageHttp.RenderAsync<ChannelsPage>(p.Http, new Dictionary<string, object?>
        {
            [nameof(ChannelsPage.Frame)] = PageHttp.Frame(p.Http, "通知渠道"),
            [nameof(ChannelsPage.Rows)] = rows,
            [nameof(ChannelsPage.Mentions)] = channels.Mentions(me.Id).Select(MaskMobile).ToList(),
            [nameof(ChannelsPage.Unresolved)] = channels.Unresolved
                .Where(u => u.Channel == me.Id || Enum.GetValues<ChannelPlatform>().Any(p => u.Channel == ChannelTarget.KeyOf(me.Id, p))).ToList(),
        });
    }

    /// <summary>发送测试消息: a <see cref="NoticeKind.ChannelTest"/> notice to one of the organisation's own channels, never to an inbox.</summary>
    public static async Task<IResult> TestAsync(PageRequest p)
    {
        var at = p.ReceivedAt;
        var form = await p.Http.Request.ReadFormAsync(p.Aborted);
        var me = p.By.Organisation;
        if (p.Get<ChannelDirectory>().Find(form["channel"].ToString()) is not { } target || target.OrganisationId != me.Id)
        {
            return new SeeOther(PageCommands.WithOutcome("/channels", "err", "not-found"));
        }

        var who = p.By.PersonName ?? me.Name;
        var notice = new Notice(
            $"test-{target.Key}-{at.UtcTicks}", "", me.Id, NoticeKind.ChannelTest, null, null, null,
            $"【测试消息】{me.Name}·{ChannelAnswer.Name(target.Platform)}",
            $"这是戒毒人员衔接系统发出的测试消息，由{who}于{Zh.Instant(at)}在“通知渠道”页面发送。收到本消息，说明本单位的{ChannelAnswer.Name(target.Platform)}渠道配置正确：督办通知将发到这里。",
            at);
        await p.Get<NoticeDispatcher>().QueueTestAsync(target, notice, p.Aborted);
        return new SeeOther(PageCommands.WithOutcome("/channels", "msg", "channel-test"));
    }

    /// <summary>A mobile number as the page shows it: 138****0001.</summary>
    public static string MaskMobile(string number) => number.Length == 11 ? number[..3] + "****" + number[7..] : new string('*', number.Length);
}

/// <summary>One channel on the page: what is configured, its state, how many notices wait.</summary>
public sealed record ChannelRow(ChannelTarget Target, ChannelState State, int Pending);
