namespace Handoff.Core.Notices.Channels;

/// <summary>Where an organisation's notices can also go, beside its inbox (issue 22): a group robot or e-mail.</summary>
public enum ChannelPlatform
{
    /// <summary>企业微信 group robot (粤政易 and 山东通 are WeCom editions on their own hosts).</summary>
    WeCom,

    /// <summary>钉钉 custom robot.</summary>
    DingTalk,

    /// <summary>飞书 custom bot.</summary>
    Feishu,

    /// <summary>E-mail through the deployment's SMTP server.</summary>
    Email,
}

/// <summary>
/// How many messages one channel may take: a minute's and (where the platform has one) a second's. The defaults sit below the published
/// limits (企业微信 and 钉钉 20 a minute; 飞书 100 a minute and 5 a second), so that our clock and the platform's, which never agree
/// exactly, cannot put one message over: a sender that keeps to these is never throttled. A deployment may lower or raise them per
/// channel (<c>Handoff:Channels:{organisationId}:{Platform}:PerMinute</c>, <c>…:PerSecond</c>), e.g. for a government edition with
/// other limits.
/// </summary>
public sealed record ChannelLimits(int PerMinute, int PerSecond)
{
    /// <summary>Published: 20 a minute per robot; we send at most 18.</summary>
    public static readonly ChannelLimits WeCom = new(18, 0);

    /// <summary>Published: 20 a minute per robot, and a robot over it is throttled for 10 minutes (130101); we send at most 18.</summary>
    public static readonly ChannelLimits DingTalk = new(18, 0);

    /// <summary>Published: 100 a minute and 5 a second per bot (11232 over it); we send at most 90 and 4.</summary>
    public static readonly ChannelLimits Feishu = new(90, 4);

    /// <summary>Ours: an SMTP server's limits are its own; 30 a minute keeps a county's midnight from looking like a flood.</summary>
    public static readonly ChannelLimits Email = new(30, 0);

    public static ChannelLimits For(ChannelPlatform platform) => platform switch
    {
        ChannelPlatform.WeCom => WeCom,
        ChannelPlatform.DingTalk => DingTalk,
        ChannelPlatform.Feishu => Feishu,
        _ => Email,
    };

    /// <summary>
    /// The earliest instant at or after <paramref name="now"/> when one more message keeps within the limits, given the instants the
    /// channel's recent messages were sent (<paramref name="sent"/>, any order). A minute's window gets a second of margin and a second's
    /// 200 ms, for the two clocks. Messages are also paced: one at most every minute / <see cref="PerMinute"/> after the last (3.3 s for
    /// 18 a minute), so that notices arriving over a stretch (a county's midnight takes seconds to dispatch) wait a moment and go
    /// together, instead of spending the minute's messages on the first few and waiting out the rest of the minute.
    /// </summary>
    public DateTimeOffset NextAllowed(IReadOnlyList<DateTimeOffset> sent, DateTimeOffset now)
    {
        var next = now;
        if (sent.Count > 0)
        {
            next = Max(next, sent.Max() + TimeSpan.FromTicks(TimeSpan.FromMinutes(1).Ticks / PerMinute));
        }

        next = Max(next, Window(sent, now, TimeSpan.FromMinutes(1), PerMinute, TimeSpan.FromSeconds(1)));
        if (PerSecond > 0)
        {
            next = Max(next, Window(sent, now, TimeSpan.FromSeconds(1), PerSecond, TimeSpan.FromMilliseconds(200)));
        }

        return next;
    }

    private static DateTimeOffset Window(IReadOnlyList<DateTimeOffset> sent, DateTimeOffset now, TimeSpan length, int limit, TimeSpan margin)
    {
        var span = length + margin;
        var inside = sent.Where(s => s > now - span).OrderByDescending(s => s).ToList();
        // With `limit` messages inside the window, the next may go once the oldest of the latest `limit` has left it.
        return inside.Count < limit ? now : inside[limit - 1] + span;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
