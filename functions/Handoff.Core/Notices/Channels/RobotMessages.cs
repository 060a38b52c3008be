using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Serialization;

namespace Handoff.Core.Notices.Channels;

/// <summary>
/// A notice as each group robot's message (issue 22): Chinese, the notice's title and text (the person only masked, as every notice
/// is), and a link to the case page; never more bytes than the platform takes — the text is shortened, the title and the link kept.
/// Pure: the same notices give the same message. When several notices wait for one channel (a county's midnight) they go as one digest
/// (<see cref="Compose"/>): each notice's title, its deadline line and its link, as many as the platform's size takes.
/// </summary>
public static class RobotMessages
{
    /// <summary>WeCom group robot: <c>markdown.content</c> at most 4,096 bytes (UTF-8).</summary>
    public const int WeComMarkdownBytes = 4096;

    /// <summary>WeCom group robot: <c>text.content</c> at most 2,048 bytes; the only type that mentions by mobile number.</summary>
    public const int WeComTextBytes = 2048;

    /// <summary>Our cap for DingTalk and Feishu texts (their documents as quoted give no smaller figure): what a phone shows at a glance.</summary>
    public const int OtherTextBytes = 4096;

    /// <summary>
    /// A WeCom message: markdown, or — when duty officers are to be mentioned (a first-level escalation) — text with
    /// <c>mentioned_mobile_list</c>, the only form that can mention by mobile number.
    /// </summary>
    public static string WeCom(Notice notice, Uri caseLink, IReadOnlyList<string> mentions)
    {
        if (mentions.Count > 0)
        {
            var text = Fit($"{notice.Title}\n", notice.Body, $"\n案件：{caseLink}", WeComTextBytes);
            return Json(new JsonObject
            {
                ["msgtype"] = "text",
                ["text"] = new JsonObject { ["content"] = text, ["mentioned_mobile_list"] = new JsonArray([.. mentions.Select(m => (JsonNode)m)]) },
            });
        }

        var content = Fit($"**{notice.Title}**\n", notice.Body, $"\n[查看案件]({caseLink})", WeComMarkdownBytes);
        return Json(new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = content } });
    }

    /// <summary>
    /// A DingTalk message: an <c>actionCard</c> with the text and a 查看案件 button; or — when duty officers are to be mentioned —
    /// <c>markdown</c> with the link and <c>at.atMobiles</c> (DingTalk documents mentions for <c>text</c> and <c>markdown</c>, not for
    /// <c>actionCard</c>), the numbers also as <c>@mobile</c> in the text, as the platform requires.
    /// </summary>
    public static string DingTalk(Notice notice, Uri caseLink, IReadOnlyList<string> mentions)
    {
        if (mentions.Count > 0)
        {
            var at = "\n" + string.Join(" ", mentions.Select(m => "@" + m));
            var markdown = Fit($"### {notice.Title}\n", notice.Body, $"\n[查看案件]({caseLink}){at}", OtherTextBytes);
            return Json(new JsonObject
            {
                ["msgtype"] = "markdown",
                ["markdown"] = new JsonObject { ["title"] = notice.Title, ["text"] = markdown },
                ["at"] = new JsonObject { ["atMobiles"] = new JsonArray([.. mentions.Select(m => (JsonNode)m)]), ["isAtAll"] = false },
            });
        }

        var text = Fit($"### {notice.Title}\n", notice.Body, "", OtherTextBytes);
        return Json(new JsonObject
        {
            ["msgtype"] = "actionCard",
            ["actionCard"] = new JsonObject { ["title"] = notice.Title, ["text"] = text, ["singleTitle"] = "查看案件", ["singleURL"] = caseLink.ToString() },
        });
    }

    /// <summary>A Feishu message: text, signed in the body (<see cref="RobotSignatures.Feishu"/>) at <paramref name="timestampSeconds"/>.</summary>
    public static string Feishu(Notice notice, Uri caseLink, long timestampSeconds, string? secret)
    {
        return Json(FeishuText(Fit($"{notice.Title}\n", notice.Body, $"\n案件：{caseLink}", OtherTextBytes), timestampSeconds, secret));
    }

    /// <summary>
    /// <paramref name="head"/> + <paramref name="body"/> + <paramref name="tail"/> in at most <paramref name="maxBytes"/> UTF-8 bytes: the
    /// body is cut at a character boundary and marked （略） when it does not fit; the head and the tail are kept whole.
    /// </summary>
    public static string Fit(string head, string body, string tail, int maxBytes)
    {
        var whole = head + body + tail;
        if (Encoding.UTF8.GetByteCount(whole) <= maxBytes)
        {
            return whole;
        }

        const string cut = "……（略）";
        var room = maxBytes - Encoding.UTF8.GetByteCount(head + tail + cut);
        var kept = new StringBuilder();
        var used = 0;
        foreach (var rune in body.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > room)
            {
                break;
            }

            kept.Append(rune.ToString());
        }

        return head + kept + cut + tail;
    }

    /// <summary>How many notices one digest lists at most (a table batch records them with the channel's state: 2 rows each).</summary>
    public const int MaxDigest = 40;

    /// <summary>
    /// The message for the first of <paramref name="notices"/> (oldest first) that fit: one notice as its own message, several as a
    /// digest of as many as the platform's size takes (at least one, at most <see cref="MaxDigest"/>). Duty officers
    /// (<paramref name="dutyOfficers"/>, mobile numbers) are mentioned when the message carries a first-level escalation (issue 22).
    /// <paramref name="now"/> signs a Feishu body; <paramref name="secret"/> is the channel's, if it signs.
    /// </summary>
    public static RobotMessage Compose(
        ChannelPlatform platform, IReadOnlyList<Notice> notices, Func<Notice, Uri> link, IReadOnlyList<string> dutyOfficers, DateTimeOffset now, string? secret)
    {
        ArgumentOutOfRangeException.ThrowIfZero(notices.Count);
        if (platform == ChannelPlatform.Email)
        {
            throw new ArgumentException("E-mail is composed by MailText.", nameof(platform));
        }

        if (notices.Count == 1)
        {
            var single = notices[0];
            var mentions = Mentions([single], dutyOfficers);
            return new RobotMessage(platform switch
            {
                ChannelPlatform.WeCom => WeCom(single, link(single), mentions),
                ChannelPlatform.DingTalk => DingTalk(single, link(single), mentions),
                _ => Feishu(single, link(single), now.ToUnixTimeSeconds(), secret),
            }, 1);
        }

        // Mentions only when the notices the digest carries include a first-level escalation: composed with them if any waiting
        // notice would bring them, and again without if the notices that fit turn out not to.
        var mentioned = Mentions(notices, dutyOfficers);
        var (text, count, markdown) = DigestFor(platform, notices, link, mentioned);
        if (mentioned.Count > 0 && Mentions(notices.Take(count), dutyOfficers).Count == 0)
        {
            // Composed without: the message then mentions no one, even if the larger digest takes a first-level escalation in after
            // all (DingTalk mentions only numbers written in the text; a WeCom markdown cannot mention).
            mentioned = [];
            (text, count, markdown) = DigestFor(platform, notices, link, mentioned);
        }

        var included = notices.Take(count).ToList();
        var title = DigestTitle(included);
        var body = platform switch
        {
            ChannelPlatform.WeCom when markdown => new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = text } },
            ChannelPlatform.WeCom => new JsonObject
            {
                ["msgtype"] = "text",
                ["text"] = new JsonObject { ["content"] = text, ["mentioned_mobile_list"] = new JsonArray([.. mentioned.Select(m => (JsonNode)m)]) },
            },
            ChannelPlatform.DingTalk => new JsonObject
            {
                ["msgtype"] = "markdown",
                ["markdown"] = new JsonObject { ["title"] = title, ["text"] = text },
                ["at"] = new JsonObject { ["atMobiles"] = new JsonArray([.. mentioned.Select(m => (JsonNode)m)]), ["isAtAll"] = false },
            },
            _ => FeishuText(text, now.ToUnixTimeSeconds(), secret),
        };
        return new RobotMessage(Json(body), count);
    }

    private static (string Text, int Count, bool Markdown) DigestFor(ChannelPlatform platform, IReadOnlyList<Notice> notices, Func<Notice, Uri> link, IReadOnlyList<string> mentions)
    {
        // WeCom mentions by mobile number only in text (2,048 bytes); DingTalk in markdown, with @mobile in the text; Feishu: text.
        var markdown = platform == ChannelPlatform.DingTalk || (platform == ChannelPlatform.WeCom && mentions.Count == 0);
        var limit = platform == ChannelPlatform.WeCom && !markdown ? WeComTextBytes : platform == ChannelPlatform.WeCom ? WeComMarkdownBytes : OtherTextBytes;
        var (text, count) = Digest(notices, link, markdown, limit, platform == ChannelPlatform.DingTalk ? mentions : []);
        return (text, count, markdown);
    }

    /// <summary>The duty officers to mention: all of them when a first-level escalation is among the notices, else none.</summary>
    public static IReadOnlyList<string> Mentions(IEnumerable<Notice> notices, IReadOnlyList<string> dutyOfficers) =>
        notices.Any(n => n.Kind == NoticeKind.Escalation && n.Level == 1) ? dutyOfficers : [];

    /// <summary>A digest's first line: how many notices, how many of them escalations.</summary>
    public static string DigestTitle(IReadOnlyCollection<Notice> notices)
    {
        var escalations = notices.Count(n => n.Kind == NoticeKind.Escalation);
        return escalations > 0 ? $"【通知汇总】{notices.Count}条，其中督办{escalations}条" : $"【通知汇总】{notices.Count}条";
    }

    /// <summary>The line of a notice's text that gives its deadline and how late it is (截止时间：…), if it has one.</summary>
    public static string? DeadlineLine(Notice notice) =>
        notice.Body.Split('\n').FirstOrDefault(l => l.StartsWith("截止时间", StringComparison.Ordinal));

    /// <summary>
    /// The digest's text: its title, then one entry per notice (title, deadline line, link) for as many as fit in
    /// <paramref name="maxBytes"/>, and whether more follow. The first entry is always there, shortened if it alone is too long.
    /// </summary>
    private static (string Text, int Count) Digest(IReadOnlyList<Notice> notices, Func<Notice, Uri> link, bool markdown, int maxBytes, IReadOnlyList<string> atMobiles)
    {
        var candidates = notices.Take(MaxDigest).ToList();
        var at = atMobiles.Count > 0 ? "\n" + string.Join(" ", atMobiles.Select(m => "@" + m)) : "";
        string Entry(int i, Notice n)
        {
            var deadline = DeadlineLine(n) is { } d ? $"\n   {d}" : "";
            return markdown ? $"\n{i}. [{n.Title}]({link(n)}){deadline}" : $"\n{i}. {n.Title}{deadline}\n   {link(n)}";
        }

        string Head(int count) => markdown ? $"**{DigestTitle(candidates.Take(count).ToList())}**" : DigestTitle(candidates.Take(count).ToList());
        string Rest(int count) => notices.Count > count ? "\n其余通知随后发送。" : "";

        var text = new StringBuilder();
        var fitted = 0;
        for (var i = 0; i < candidates.Count; i++)
        {
            var entry = Entry(i + 1, candidates[i]);
            var whole = Head(i + 1) + text + entry + Rest(i + 1) + at;
            if (Encoding.UTF8.GetByteCount(whole) > maxBytes)
            {
                break;
            }

            text.Append(entry);
            fitted = i + 1;
        }

        if (fitted == 0)
        {
            // One notice too long for a digest entry: its own entry, shortened.
            return (Fit(Head(1), Entry(1, candidates[0]), Rest(1) + at, maxBytes), 1);
        }

        return (Head(fitted) + text + Rest(fitted) + at, fitted);
    }

    private static JsonObject FeishuText(string text, long timestampSeconds, string? secret)
    {
        var message = new JsonObject();
        if (secret is not null)
        {
            message["timestamp"] = timestampSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            message["sign"] = RobotSignatures.Feishu(timestampSeconds, secret);
        }

        message["msg_type"] = "text";
        message["content"] = new JsonObject { ["text"] = text };
        return message;
    }

    private static string Json(JsonObject message) => message.ToJsonString(CoreJson.Options);
}

/// <summary>A robot's message, and how many of the notices given (oldest first) it carries.</summary>
public sealed record RobotMessage(string Body, int Count);
