using System.Security.Cryptography;
using System.Text;

namespace Handoff.Core.Notices.Channels;

/// <summary>
/// The signatures the group robots' custom webhooks check (issue 22, from the platforms' public documentation as quoted there). Pure:
/// the timestamp is an input, never read from a clock.
/// </summary>
public static class RobotSignatures
{
    /// <summary>
    /// DingTalk custom robot: <c>sign = urlencode(base64(HMAC-SHA256(key = secret, message = timestamp_ms + "\n" + secret)))</c>, sent as
    /// the <c>sign</c> query parameter beside <c>timestamp</c> (milliseconds). A wrong one is answered <c>errcode</c> 310000.
    /// </summary>
    public static string DingTalk(long timestampMilliseconds, string secret)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestampMilliseconds}\n{secret}"));
        return Uri.EscapeDataString(Convert.ToBase64String(mac));
    }

    /// <summary>
    /// Feishu custom bot: <c>sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = ""))</c>, sent in the body beside
    /// <c>timestamp</c> (seconds). A wrong one is answered code 19021.
    /// </summary>
    public static string Feishu(long timestampSeconds, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{timestampSeconds}\n{secret}"), Array.Empty<byte>()));
}
