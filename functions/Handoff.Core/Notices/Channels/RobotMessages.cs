using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Core.Serialization;

namespace Handoff.Core.Notices.Channels;

/// <summary>
/// A notice as each group robot's message (issue 22): Chinese, the notice's title and text (the person only masked, as every notice
/// is), and a link to the case page; never more bytes than the platform takes — the text is shortened, the title and the link kept.
/// Pure: the same notice gives the same message. Only composing is built; sending, rate limits and retries are not (README, "Not built").
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

    /// <summary>A DingTalk message: an <c>actionCard</c> with the text and a 查看案件 button, mentioning by mobile number in the text.</summary>
    public static string DingTalk(Notice notice, Uri caseLink, IReadOnlyList<string> mentions)
    {
        var at = mentions.Count > 0 ? "\n" + string.Join(" ", mentions.Select(m => "@" + m)) : "";
        var text = Fit($"### {notice.Title}\n", notice.Body, at, OtherTextBytes);
        return Json(new JsonObject
        {
            ["msgtype"] = "actionCard",
            ["actionCard"] = new JsonObject { ["title"] = notice.Title, ["text"] = text, ["singleTitle"] = "查看案件", ["singleURL"] = caseLink.ToString() },
            ["at"] = new JsonObject { ["atMobiles"] = new JsonArray([.. mentions.Select(m => (JsonNode)m)]), ["isAtAll"] = false },
        });
    }

    /// <summary>A Feishu message: text, signed in the body (<see cref="RobotSignatures.Feishu"/>) at <paramref name="timestampSeconds"/>.</summary>
    public static string Feishu(Notice notice, Uri caseLink, long timestampSeconds, string? secret)
    {
        var message = new JsonObject();
        if (secret is not null)
        {
            message["timestamp"] = timestampSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            message["sign"] = RobotSignatures.Feishu(timestampSeconds, secret);
        }

        message["msg_type"] = "text";
        message["content"] = new JsonObject { ["text"] = Fit($"{notice.Title}\n", notice.Body, $"\n案件：{caseLink}", OtherTextBytes) };
        return Json(message);
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

    private static string Json(JsonObject message) => message.ToJsonString(CoreJson.Options);
}
