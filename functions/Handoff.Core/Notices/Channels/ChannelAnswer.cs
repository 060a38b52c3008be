using System.Text.Json;

namespace Handoff.Core.Notices.Channels;

/// <summary>What a platform's answer means for the notices it carried.</summary>
public enum ChannelOutcomeKind
{
    /// <summary>Accepted: the message is in the group (or the mail server took it).</summary>
    Sent,

    /// <summary>The platform throttled us: nothing was sent; wait <see cref="ChannelOutcome.RetryAfter"/> and send again.</summary>
    RateLimited,

    /// <summary>Nothing was sent, and trying again later may work (a 5xx, a connection refused): retried with back-off.</summary>
    Transient,

    /// <summary>It can never work as configured (a bad key, a bad signature, a missing keyword): given up at once and reported.</summary>
    Permanent,

    /// <summary>
    /// The request may have reached the platform but no answer came (a timeout, a connection dropped mid-request): not sent again,
    /// because a repeat could put the same notice in the group twice; reported, and still in the inbox.
    /// </summary>
    Uncertain,
}

/// <param name="Code">The platform's error code (<c>errcode</c>, <c>code</c>) or the HTTP or SMTP status; null when none came.</param>
/// <param name="Error">What went wrong, for operators and the channel page: the code and the platform's own message.</param>
public sealed record ChannelOutcome(ChannelOutcomeKind Kind, int? Code, string? Error, TimeSpan? RetryAfter = null)
{
    public static readonly ChannelOutcome Accepted = new(ChannelOutcomeKind.Sent, 0, null);
}

/// <summary>
/// Reads a robot's answer (pure). The codes are the platforms' as their public documentation and users quote them:
/// <list type="bullet">
/// <item>企业微信: <c>errcode</c> 0 ok; 45009 over the rate (retry after a minute); 93000 invalid webhook key (permanent); other
/// non-zero codes (40058 content too long, 40008 bad message type, 40035 bad parameter) say our message or address is wrong, so
/// permanent too; -1 "system busy" is transient.</item>
/// <item>钉钉: <c>errcode</c> 0 ok; 130101 sent too fast, the robot is throttled for 10 minutes (retry after them); 310000 bad
/// signature, keyword not in the message or IP not allowed, and 300001 unknown token (permanent); -1 transient.</item>
/// <item>飞书: <c>code</c> 0 ok; 11232 frequency limited (100 a minute, 5 a second; retry after a minute); 19021 bad signature or
/// timestamp, 19001 unknown hook (permanent).</item>
/// <item>Any platform: HTTP 429 is a rate limit (its <c>Retry-After</c> if given, else a minute); 502 and 504 (a gateway gave up
/// waiting: the platform may have taken the message) and a 2xx whose body is not the platform's JSON (a proxy's page) uncertain;
/// other 5xx and 408 transient; any other 4xx permanent.</item>
/// </list>
/// </summary>
public static class ChannelAnswer
{
    public static ChannelOutcome Read(ChannelPlatform platform, int httpStatus, string body, TimeSpan? retryAfter = null)
    {
        if (httpStatus == 429)
        {
            return new(ChannelOutcomeKind.RateLimited, 429, "HTTP 429", retryAfter ?? TimeSpan.FromMinutes(1));
        }

        if (httpStatus is 502 or 504)
        {
            // A gateway's answer: the platform behind it may have taken the message before the gateway gave up.
            return new(ChannelOutcomeKind.Uncertain, httpStatus, $"HTTP {httpStatus}：网关未等到平台应答，消息可能已送达");
        }

        if (httpStatus is >= 500 or 408)
        {
            return new(ChannelOutcomeKind.Transient, httpStatus, $"HTTP {httpStatus}");
        }

        if (httpStatus is < 200 or >= 300)
        {
            return new(ChannelOutcomeKind.Permanent, httpStatus, $"HTTP {httpStatus}");
        }

        if (!TryCode(platform, body, out var code, out var message))
        {
            // Accepted by something, but not in the platform's words (a proxy's page): it may or may not have reached the group.
            return new(ChannelOutcomeKind.Uncertain, httpStatus, $"HTTP {httpStatus}，应答不是{Name(platform)}的格式，消息可能已送达");
        }

        var error = Explain(platform, code) is { } meaning ? $"{meaning}（{code} {message}）".Replace(" ）", "）", StringComparison.Ordinal) : $"{code} {message}".Trim();
        return (platform, code) switch
        {
            (_, 0) => ChannelOutcome.Accepted,
            (_, -1) => new(ChannelOutcomeKind.Transient, code, error),
            (ChannelPlatform.WeCom, 45009) => new(ChannelOutcomeKind.RateLimited, code, error, TimeSpan.FromMinutes(1)),
            (ChannelPlatform.DingTalk, 130101) => new(ChannelOutcomeKind.RateLimited, code, error, TimeSpan.FromMinutes(10)),
            (ChannelPlatform.Feishu, 11232) => new(ChannelOutcomeKind.RateLimited, code, error, TimeSpan.FromMinutes(1)),
            _ => new(ChannelOutcomeKind.Permanent, code, error),
        };
    }

    /// <summary>What a known error code means for the duty officer who configured the robot, in Chinese; null for codes we do not know.</summary>
    public static string? Explain(ChannelPlatform platform, int code) => (platform, code) switch
    {
        (ChannelPlatform.WeCom, 45009) or (ChannelPlatform.DingTalk, 130101) or (ChannelPlatform.Feishu, 11232) => "发送过于频繁，平台暂停接收，稍后自动重发",
        (ChannelPlatform.WeCom, 93000) => "机器人地址（key）无效：群机器人可能已被移除，请重新添加机器人并把新地址交系统管理员",
        (ChannelPlatform.DingTalk, 310000) => "钉钉拒绝：加签密钥不符、消息不含所设关键词或IP不在白名单，请核对机器人安全设置",
        (ChannelPlatform.DingTalk, 300001) => "机器人地址（access_token）无效：群机器人可能已被移除",
        (ChannelPlatform.Feishu, 19021) => "飞书拒绝：签名校验失败（密钥不符或时间不同步），请核对机器人安全设置",
        (ChannelPlatform.Feishu, 19001) => "机器人地址无效：群机器人可能已被移除",
        (_, -1) => "平台繁忙，稍后自动重发",
        _ => null,
    };

    /// <summary>The platform's name in Chinese, for pages and operators.</summary>
    public static string Name(ChannelPlatform platform) => platform switch
    {
        ChannelPlatform.WeCom => "企业微信",
        ChannelPlatform.DingTalk => "钉钉",
        ChannelPlatform.Feishu => "飞书",
        _ => "电子邮件",
    };

    private static bool TryCode(ChannelPlatform platform, string body, out int code, out string message)
    {
        code = 0;
        message = "";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var (codeName, messageName) = platform == ChannelPlatform.Feishu ? ("code", "msg") : ("errcode", "errmsg");
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(codeName, out var c) || !c.TryGetInt32(out code))
            {
                // Feishu's older answers carry StatusCode instead of code.
                if (platform == ChannelPlatform.Feishu && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("StatusCode", out var s) && s.TryGetInt32(out code))
                {
                    message = root.TryGetProperty("StatusMessage", out var sm) ? sm.GetString() ?? "" : "";
                    return true;
                }

                return false;
            }

            message = root.TryGetProperty(messageName, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
