namespace Handoff.Development;

/// <summary>One request a <see cref="FakeRobotServer"/> answered: accepted (<see cref="Code"/> 0) or refused with a platform error code.</summary>
/// <param name="Platform"><c>"wecom"</c>, <c>"dingtalk"</c> or <c>"feishu"</c>.</param>
/// <param name="Robot">The robot the request addressed: the WeCom key, the DingTalk access token or the Feishu hook id, as received
/// (an empty string when the request named none).</param>
/// <param name="At">When the request arrived, read from the server's <see cref="TimeProvider"/>.</param>
/// <param name="Body">The request body as received (UTF-8 text, normally JSON).</param>
/// <param name="Code">0 when accepted; otherwise the error code answered (<c>errcode</c> for WeCom and DingTalk, <c>code</c> for
/// Feishu), or 500 for an injected HTTP 500 with an empty body.</param>
/// <param name="Error">The error message answered; null when accepted.</param>
public sealed record RobotDelivery(string Platform, string Robot, DateTimeOffset At, string Body, int Code, string? Error)
{
    /// <summary>The platform name of a WeCom (企业微信) group robot.</summary>
    public const string WeCom = "wecom";

    /// <summary>The platform name of a DingTalk (钉钉) custom robot.</summary>
    public const string DingTalk = "dingtalk";

    /// <summary>The platform name of a Feishu (飞书) custom bot.</summary>
    public const string Feishu = "feishu";

    /// <summary>True when the server accepted the message.</summary>
    public bool Accepted => Code == 0;
}
