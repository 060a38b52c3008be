using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Handoff.Development;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Storage.Tests.Notices;

/// <summary>
/// The local stand-in for the WeCom, DingTalk and Feishu robot webhooks, through real HTTP: signatures (computed here, independently
/// of the server), unknown robots, sizes, the platforms' rate limits and injected failures. No Azurite: these run on their own.
/// </summary>
public sealed class FakeRobotServerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8)));
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });
    private FakeRobotServer _server = null!;

    /// <summary>Chinese text as UTF-8, not \u escapes, as the platforms' examples send it (and so the bodies read in assertions).</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public async Task InitializeAsync() => _server = await FakeRobotServer.StartAsync(_clock);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static string Text(string content) => new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = content } }.ToJsonString(Json);

    private static string FeishuText(string text, string? timestamp = null, string? sign = null)
    {
        var body = new JsonObject { ["msg_type"] = "text", ["content"] = new JsonObject { ["text"] = text } };
        if (timestamp is not null)
        {
            body["timestamp"] = timestamp;
        }

        if (sign is not null)
        {
            body["sign"] = sign;
        }

        return body.ToJsonString(Json);
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(Uri url, string json)
    {
        using var response = await _http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static int ErrCode((HttpStatusCode Status, JsonElement Json) answer)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json.GetProperty("errcode").GetInt32();
    }

    private static int FeishuCode((HttpStatusCode Status, JsonElement Json) answer)
    {
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return answer.Json.GetProperty("code").GetInt32();
    }

    /// <summary>DingTalk 加签, written here from the documentation: base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)).</summary>
    private static string DingTalkSign(string secret, long milliseconds) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{milliseconds}\n{secret}")));

    /// <summary>Feishu 签名校验, from the documentation: base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)).</summary>
    private static string FeishuSign(string secret, long seconds) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{seconds}\n{secret}"), Array.Empty<byte>()));

    private static Uri Signed(Uri url, long milliseconds, string sign, bool encode = true) =>
        new($"{url}&timestamp={milliseconds.ToString(CultureInfo.InvariantCulture)}&sign={(encode ? Uri.EscapeDataString(sign) : sign)}");

    [Fact]
    public void StartAsync_ListensOnLoopback_AndTheRobotUrlsHaveThePlatformsPaths()
    {
        Assert.Equal("127.0.0.1", _server.BaseAddress.Host);
        Assert.NotEqual(0, _server.BaseAddress.Port);
        Assert.Equal(new Uri(_server.BaseAddress, "cgi-bin/webhook/send?key=k1"), _server.AddWeComRobot("k1"));
        Assert.Equal(new Uri(_server.BaseAddress, "robot/send?access_token=t1"), _server.AddDingTalkRobot("t1", null));
        Assert.Equal(new Uri(_server.BaseAddress, "open-apis/bot/v2/hook/h1"), _server.AddFeishuRobot("h1", null));
        Assert.Throws<ArgumentException>(() => _server.AddFeishuRobot("k1", null));
    }

    [Fact]
    public async Task DingTalk_ACorrectSignature_IsAccepted_AndAWrongOne_IsAnswered310000()
    {
        const string secret = "SECabc123";
        var url = _server.AddDingTalkRobot("ding-signed", secret);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();

        Assert.Equal(0, ErrCode(await PostAsync(Signed(url, now, DingTalkSign(secret, now)), Text("签名正确"))));
        Assert.Equal(310000, ErrCode(await PostAsync(Signed(url, now, DingTalkSign("SECwrong", now)), Text("密钥错误"))));
        Assert.Equal(310000, ErrCode(await PostAsync(Signed(url, now, DingTalkSign(secret, now - 1)), Text("时间戳与签名不符"))));
        Assert.Equal(310000, ErrCode(await PostAsync(url, Text("没有签名"))));
        var stale = now - (long)TimeSpan.FromMinutes(61).TotalMilliseconds;
        Assert.Equal(310000, ErrCode(await PostAsync(Signed(url, stale, DingTalkSign(secret, stale)), Text("超过一小时"))));

        // A signature with a '+' sent without URL-encoding reaches the server as a space: refused, as on DingTalk.
        var withPlus = Enumerable.Range(0, 1000).Select(i => now - i).First(ms => DingTalkSign(secret, ms).Contains('+', StringComparison.Ordinal));
        Assert.Equal(310000, ErrCode(await PostAsync(Signed(url, withPlus, DingTalkSign(secret, withPlus), encode: false), Text("未编码"))));
        Assert.Equal(0, ErrCode(await PostAsync(Signed(url, withPlus, DingTalkSign(secret, withPlus)), Text("已编码"))));

        var received = _server.Received;
        Assert.Equal(2, received.Count);
        Assert.All(received, d => Assert.Equal(("dingtalk", "ding-signed", 0), (d.Platform, d.Robot, d.Code)));
        Assert.Contains("签名正确", received[0].Body, StringComparison.Ordinal);
        Assert.Equal(_clock.GetUtcNow(), received[0].At);
        Assert.Equal(5, _server.Rejected.Count(d => d.Code == 310000));
        Assert.Equal(0, _server.OverLimit("ding-signed"));
    }

    [Fact]
    public async Task DingTalk_AKeyword_MustBeInTheMessage()
    {
        var url = _server.AddDingTalkRobot("ding-keyword", secret: null, keyword: "交接");

        Assert.Equal(0, ErrCode(await PostAsync(url, Text("【交接】新的通知"))));
        var refused = await PostAsync(url, Text("新的通知"));
        Assert.Equal(310000, ErrCode(refused));
        Assert.Equal("keywords not in content", refused.Json.GetProperty("errmsg").GetString());
        Assert.Equal(40035, ErrCode(await PostAsync(url, """{"msgtype":"image","image":{}}""")));
    }

    [Fact]
    public async Task Feishu_ACorrectSignature_IsAccepted_AndAWrongOrMissingOne_IsAnswered19021()
    {
        const string secret = "feishu-secret";
        var url = _server.AddFeishuRobot("hook-signed", secret);
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var timestamp = now.ToString(CultureInfo.InvariantCulture);

        var accepted = await PostAsync(url, FeishuText("签名正确", timestamp, FeishuSign(secret, now)));
        Assert.Equal(0, FeishuCode(accepted));
        Assert.Equal(0, accepted.Json.GetProperty("StatusCode").GetInt32());
        Assert.Equal("success", accepted.Json.GetProperty("msg").GetString());

        var wrong = await PostAsync(url, FeishuText("密钥错误", timestamp, FeishuSign("other", now)));
        Assert.Equal(19021, FeishuCode(wrong));
        Assert.Equal("sign match fail or timestamp is not within one hour from current time", wrong.Json.GetProperty("msg").GetString());
        Assert.Equal(19021, FeishuCode(await PostAsync(url, FeishuText("没有签名"))));
        var stale = now - 3601;
        Assert.Equal(19021, FeishuCode(await PostAsync(url, FeishuText("超过一小时", stale.ToString(CultureInfo.InvariantCulture), FeishuSign(secret, stale)))));

        var unknown = await PostAsync(new Uri(_server.BaseAddress, "open-apis/bot/v2/hook/no-such-hook"), FeishuText("x"));
        Assert.Equal(19001, FeishuCode(unknown));
        Assert.Single(_server.Received);
    }

    [Fact]
    public async Task WeCom_AnUnknownKey_IsAnswered93000()
    {
        _server.AddWeComRobot("known");

        var answer = await PostAsync(new Uri(_server.BaseAddress, "cgi-bin/webhook/send?key=unknown"), Text("你好"));

        Assert.Equal(93000, ErrCode(answer));
        Assert.StartsWith("invalid webhook url", answer.Json.GetProperty("errmsg").GetString(), StringComparison.Ordinal);
        var rejected = Assert.Single(_server.Rejected);
        Assert.Equal(("wecom", "unknown", 93000), (rejected.Platform, rejected.Robot, rejected.Code));
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task WeCom_The21stMessageInAMinute_IsAnswered45009_AndCountsOverLimit_UntilTheWindowSlides()
    {
        var url = _server.AddWeComRobot("wecom-busy");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(0, ErrCode(await PostAsync(url, Text($"第{i + 1}条"))));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var refused = await PostAsync(url, Text("第21条"));
        Assert.Equal(45009, ErrCode(refused));
        Assert.Equal("api freq out of limit", refused.Json.GetProperty("errmsg").GetString());
        Assert.Equal(1, _server.OverLimit("wecom-busy"));

        // 60 s after the first message, one slot is free again.
        _clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(0, ErrCode(await PostAsync(url, Text("第22条"))));
        Assert.Equal(45009, ErrCode(await PostAsync(url, Text("第23条"))));
        Assert.Equal(2, _server.OverLimit("wecom-busy"));
        Assert.Equal(21, _server.Received.Count);
    }

    [Fact]
    public async Task WeCom_ConcurrentRequests_AreCountedUnderTheRobotsLock_ExactlyTwentyAccepted()
    {
        var url = _server.AddWeComRobot("wecom-burst");

        var codes = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i => ErrCode(await PostAsync(url, Text($"并发{i}")))));

        Assert.Equal(20, codes.Count(c => c == 0));
        Assert.Equal(30, codes.Count(c => c == 45009));
        Assert.Equal(30, _server.OverLimit("wecom-burst"));
        Assert.Equal(20, _server.Received.Count);
        Assert.Equal(30, _server.Rejected.Count);
    }

    [Fact]
    public async Task WeCom_MarkdownOver4096Bytes_IsAnswered40058()
    {
        var url = _server.AddWeComRobot("wecom-long");
        static string Markdown(string content) =>
            new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = content } }.ToJsonString(Json);

        var exactly4096 = new string('通', 1365) + "x"; // 1365 × 3 bytes + 1
        Assert.Equal(0, ErrCode(await PostAsync(url, Markdown(exactly4096))));
        Assert.Equal(40058, ErrCode(await PostAsync(url, Markdown(exactly4096 + "x"))));
        Assert.Equal(40058, ErrCode(await PostAsync(url, Text(new string('a', 2049)))));
        Assert.Equal(40008, ErrCode(await PostAsync(url, """{"msgtype":"voice"}""")));
        Assert.Equal(40035, ErrCode(await PostAsync(url, "{not json")));
        Assert.Equal(0, _server.OverLimit("wecom-long"));
    }

    [Fact]
    public async Task DingTalk_The21stInAMinute_IsAnswered130101_AndTheRobotStaysThrottledForTenMinutes()
    {
        var url = _server.AddDingTalkRobot("ding-busy", secret: null);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(0, ErrCode(await PostAsync(url, Text($"第{i + 1}条"))));
        }

        var refused = await PostAsync(url, Text("第21条"));
        Assert.Equal(130101, ErrCode(refused));
        Assert.Equal("send too fast, exceed 20 times per minute", refused.Json.GetProperty("errmsg").GetString());

        // Well after the minute has passed, the robot is still throttled.
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(130101, ErrCode(await PostAsync(url, Text("第22条"))));
        Assert.Equal(2, _server.OverLimit("ding-busy"));

        _clock.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(0, ErrCode(await PostAsync(url, Text("十分钟后"))));
        Assert.Equal(21, _server.Received.Count);
    }

    [Fact]
    public async Task Feishu_The6thInOneSecond_IsAnswered11232()
    {
        var url = _server.AddFeishuRobot("hook-busy", secret: null);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(0, FeishuCode(await PostAsync(url, FeishuText($"第{i + 1}条"))));
        }

        var refused = await PostAsync(url, FeishuText("第6条"));
        Assert.Equal(11232, FeishuCode(refused));
        Assert.Equal("frequency limited", refused.Json.GetProperty("msg").GetString());
        Assert.Equal(1, _server.OverLimit("hook-busy"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, FeishuCode(await PostAsync(url, FeishuText("一秒后"))));
    }

    [Fact]
    public async Task FailNext_AnswersTheNextRequestsWithTheCode_Then500WithAnEmptyBody_ThenAcceptsAgain()
    {
        var wecom = _server.AddWeComRobot("wecom-flaky");
        var feishu = _server.AddFeishuRobot("hook-flaky", secret: null);
        _server.FailNext("wecom-flaky", 2, 45009);
        _server.FailNext("wecom-flaky", 1, 500);
        _server.FailNext("hook-flaky", 1, 11232);

        Assert.Equal(45009, ErrCode(await PostAsync(wecom, Text("1"))));
        Assert.Equal(45009, ErrCode(await PostAsync(wecom, Text("2"))));
        using (var response = await _http.PostAsync(wecom, new StringContent(Text("3"), Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(0, ErrCode(await PostAsync(wecom, Text("4"))));
        Assert.Equal(11232, FeishuCode(await PostAsync(feishu, FeishuText("a"))));
        Assert.Equal(0, FeishuCode(await PostAsync(feishu, FeishuText("b"))));

        Assert.Equal([45009, 45009, 500, 11232], _server.Rejected.Select(d => d.Code));
        Assert.Equal(0, _server.OverLimit("wecom-flaky"));
        Assert.Equal(0, _server.OverLimit("hook-flaky"));
        Assert.Equal(2, _server.Received.Count);
    }

    [Fact]
    public async Task WaitForAsync_SeesDeliveriesAlreadyReceived_AndLaterOnes_AndTimesOut()
    {
        var url = _server.AddWeComRobot("wecom-wait");
        Assert.Equal(0, ErrCode(await PostAsync(url, Text("早到的"))));

        var early = await _server.WaitForAsync(d => d.Body.Contains("早到的", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.Equal("wecom-wait", early.Robot);

        var later = _server.WaitForAsync(d => d.Body.Contains("晚到的", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.False(later.IsCompleted);
        Assert.Equal(0, ErrCode(await PostAsync(url, Text("晚到的"))));
        Assert.Contains("晚到的", (await later).Body, StringComparison.Ordinal);

        _server.FailNext("wecom-wait", 1, 93000);
        Assert.Equal(93000, ErrCode(await PostAsync(url, Text("被拒的"))));
        await Assert.ThrowsAsync<TimeoutException>(() =>
            _server.WaitForAsync(d => d.Body.Contains("被拒的", StringComparison.Ordinal), TimeSpan.FromMilliseconds(200)));
    }
}
