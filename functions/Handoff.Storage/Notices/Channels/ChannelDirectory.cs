using Handoff.Core.Notices;
using Handoff.Core.Notices.Channels;

namespace Handoff.Storage.Notices.Channels;

/// <summary>
/// One configured channel of one organisation (<c>Handoff:Channels:{organisationId}:{Platform}:…</c>, docs/notices.md): a robot's URL
/// (the host is part of it, so a government edition is a URL, not code) and secret, or e-mail addresses; the notice kinds routed to it;
/// its rate limits.
/// </summary>
/// <param name="Url">The robot's webhook; null for e-mail.</param>
/// <param name="Secret">The signing secret (钉钉, 飞书), when the robot signs.</param>
/// <param name="To">E-mail addresses; empty for a robot.</param>
public sealed record ChannelTarget(
    string OrganisationId, ChannelPlatform Platform, Uri? Url, string? Secret, IReadOnlyList<string> To, IReadOnlySet<NoticeKind> Kinds, ChannelLimits Limits)
{
    /// <summary>The channel's key: <c>{platform}-{organisationId}</c>, lowercase (its table partition and its wake-up messages).</summary>
    public string Key => KeyOf(OrganisationId, Platform);

    public static string KeyOf(string organisationId, ChannelPlatform platform) => $"{platform.ToString().ToLowerInvariant()}-{organisationId}";

    /// <summary>Where it goes, for pages and logs, without the credential: the host and path, the key or token masked; or the addresses.</summary>
    public string Display => Url is null ? string.Join("，", To) : Masked(Url);

    /// <summary>
    /// The URL with its credentials masked: every query value, every path segment as long as a key (16 characters or more: a Feishu
    /// hook id, a government edition's token in the path), and the last segment when there is no query. A key keeps its first and
    /// last 4 characters, a shorter one its first 2.
    /// </summary>
    public static string Masked(Uri url)
    {
        static string Mask(string s) =>
            s.Length <= 8 ? new string('*', s.Length) : s.Length < 16 ? s[..2] + new string('*', s.Length - 2) : s[..4] + "********" + s[^4..];
        var segments = url.AbsolutePath.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Length >= 16 || (i == segments.Length - 1 && segments[i].Length > 0 && url.Query.Length <= 1))
            {
                segments[i] = Mask(Uri.UnescapeDataString(segments[i]));
            }
        }

        var path = string.Join("/", segments);

        var query = url.Query.Length > 1
            ? "?" + string.Join("&", url.Query[1..].Split('&').Select(p => p.Split('=', 2) is [var k, var v] ? $"{k}={Mask(Uri.UnescapeDataString(v))}" : p))
            : "";
        return $"{url.Scheme}://{url.Authority}{path}{query}";
    }

    public bool Takes(Notice notice) => Kinds.Contains(notice.Kind);
}

/// <summary>The mail server every e-mail channel sends through (<c>Handoff:Smtp:*</c>).</summary>
/// <param name="StartTls">STARTTLS on the submission port (default); false: TLS from the first byte (port 465).</param>
/// <param name="Secure">False only in Development towards a loopback server: no TLS at all.</param>
public sealed record SmtpSettings(string Host, int Port, bool StartTls, bool Secure, string? UserName, string? Password, string From);

/// <summary>
/// Every organisation's channels, read once at start-up, with the duty officers to mention and the link base of the case pages.
/// A notice goes to the channels of its recipient whose kinds include its kind (<see cref="Routes"/>); a test message only to the
/// channel it tests.
/// </summary>
public sealed class ChannelDirectory(
    IReadOnlyList<ChannelTarget> targets, IReadOnlyDictionary<string, IReadOnlyList<string>> mentions, Uri caseLinkBase, SmtpSettings? smtp,
    IReadOnlyList<UnresolvedChannel>? unresolved = null)
{
    /// <summary>The kinds a channel takes when it names none: a step missed (and its end) and what someone must act on at once.</summary>
    public static readonly IReadOnlySet<NoticeKind> DefaultKinds = new HashSet<NoticeKind>
    {
        NoticeKind.Escalation, NoticeKind.EscalationResolved, NoticeKind.Violation, NoticeKind.DuplicateRegistration, NoticeKind.ChannelTest,
    };

    private readonly Dictionary<string, ChannelTarget> _byKey = targets.ToDictionary(t => t.Key, StringComparer.Ordinal);

    public static readonly ChannelDirectory Empty = new([], new Dictionary<string, IReadOnlyList<string>>(), new Uri("http://127.0.0.1:7071/"), null);

    public IReadOnlyList<ChannelTarget> All => targets;

    public SmtpSettings? Smtp => smtp;

    /// <summary>Channels left out because a setting is a Key Vault reference App Service could not resolve: failing, for operators.</summary>
    public IReadOnlyList<UnresolvedChannel> Unresolved => unresolved ?? [];

    public ChannelTarget? Find(string key) => _byKey.GetValueOrDefault(key);

    public IEnumerable<ChannelTarget> Of(string organisationId) => targets.Where(t => t.OrganisationId == organisationId);

    /// <summary>The channels <paramref name="notice"/> goes to.</summary>
    public IEnumerable<ChannelTarget> Routes(Notice notice) =>
        notice.Kind == NoticeKind.ChannelTest ? [] : targets.Where(t => t.OrganisationId == notice.RecipientId && t.Takes(notice));

    /// <summary>The duty officers' mobile numbers of <paramref name="organisationId"/>, mentioned on a first-level escalation.</summary>
    public IReadOnlyList<string> Mentions(string organisationId) => mentions.GetValueOrDefault(organisationId) ?? [];

    /// <summary>The case page a message links to: <c>{Handoff:PublicUrl}cases/{caseId}</c> (a test message: the 通知渠道 page).</summary>
    public Uri CaseLink(Notice notice) =>
        notice.Kind == NoticeKind.ChannelTest ? new(caseLinkBase, "channels") : new(caseLinkBase, "cases/" + Uri.EscapeDataString(notice.CaseId));

    public Uri CaseLinkBase => caseLinkBase;
}

/// <summary>A channel (or an organisation's mentions) left out at start-up: <paramref name="Setting"/> is an unresolved Key Vault reference.</summary>
public sealed record UnresolvedChannel(string Channel, string Setting);
