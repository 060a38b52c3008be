using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Development;

/// <summary>
/// A local stand-in for the Chinese group-chat robot webhooks — WeCom (企业微信) group robots, DingTalk (钉钉) custom robots and
/// Feishu (飞书) custom bots — for tests and benchmarks: Kestrel on 127.0.0.1 at a port the operating system chooses, checking
/// credentials, signatures, message shapes, sizes and rate limits as the platforms document them, and answering with the platforms'
/// error codes. Where the documentation names no code for a case, the code used here is marked "the fake's choice".
/// </summary>
/// <remarks>
/// <para>
/// Requests may arrive concurrently: each robot's checks and counters run under that robot's own lock, and the request is recorded
/// (in <see cref="Received"/> or <see cref="Rejected"/>) before the lock is released, so the lists keep each robot's arrival order.
/// Rate windows are sliding and count <em>accepted</em> messages only — the platforms limit messages sent. Time (the
/// <see cref="RobotDelivery.At"/> stamps, the rate windows, the one-hour signature window) comes from the <see cref="TimeProvider"/>
/// given to <see cref="StartAsync"/>; a test moves it with a fake time provider.
/// </para>
/// <para>The order of checks for a known robot: injected failures (<see cref="FailNext"/>), the body's size and JSON syntax (Feishu, whose signature is in the body), the signature
/// (DingTalk, Feishu), the rate limit, then the message itself (type, required fields, length, DingTalk keyword).</para>
/// <para>Every answer is HTTP 200 with a JSON body, as on the real platforms, except an injected HTTP 500. Requests to other paths
/// or with another method get Kestrel's 404 or 405 and are not recorded. The Content-Type header is not checked.</para>
/// </remarks>
public sealed class FakeRobotServer : IAsyncDisposable
{
    // WeCom group robot (企业微信 群机器人), developer.work.weixin.qq.com "群机器人配置说明" and the global error-code list.
    private const int WeComTextMaxBytes = 2048;        // text.content: at most 2048 bytes, UTF-8
    private const int WeComMarkdownMaxBytes = 4096;    // markdown.content: at most 4096 bytes, UTF-8
    private const int WeComPerMinute = 20;             // "每个机器人发送的消息不能超过20条/分钟"
    private const int WeComInvalidWebhook = 93000;     // invalid webhook url (the key is the credential)
    private const int WeComFrequency = 45009;          // api freq out of limit
    private const int WeComContentLength = 40058;      // invalid content length (documented code; the message wording is ours)
    private const int WeComMessageType = 40008;        // invalid message type
    private const int WeComParameter = 40035;          // invalid parameter: malformed JSON; also a missing content (the fake's choice)

    // DingTalk custom robot (钉钉 自定义机器人), open.dingtalk.com "自定义机器人发送群消息" and "自定义机器人安全设置".
    private const int DingTalkPerMinute = 20;           // "每个机器人每分钟最多发送20条消息到群里"
    private static readonly TimeSpan DingTalkThrottle = TimeSpan.FromMinutes(10); // exceeding it: "限流10分钟"
    private const int DingTalkMaxContentBytes = 20_000; // message content over 20000 bytes: 460101 message too long
    private const int DingTalkUnknownToken = 300001;    // token is not exist
    private const int DingTalkSign = 310000;            // sign not match / keywords not in content (the security settings)
    private const int DingTalkTooFast = 130101;         // send too fast, exceed 20 times per minute
    private const int DingTalkTooLong = 460101;         // message too long
    private const int DingTalkParameter = 40035;        // invalid parameter: unknown msgtype; also malformed JSON or a missing field (the fake's choice)

    // Feishu custom bot (飞书 自定义机器人), open.feishu.cn/document/client-docs/bot-v3/add-custom-bot.
    private const int FeishuMaxBodyBytes = 20 * 1024;   // "请求体大小不能超过 20 KB"
    private const int FeishuPerMinute = 100;            // 100 requests per minute per bot
    private const int FeishuPerSecond = 5;              // 5 requests per second per bot
    private const int FeishuUnknownHook = 19001;        // param invalid: incoming webhook access token invalid
    private const int FeishuSign = 19021;               // sign match fail or timestamp is not within one hour from current time
    private const int FeishuFrequency = 11232;          // frequency limited
    private const int FeishuParameter = 19002;          // the fake's choice for a body over 20 KB, malformed JSON, an unknown msg_type or missing content

    /// <summary>How far a signature's timestamp may be from now, both ways (DingTalk: "timestamp 与请求调用时间误差不能超过1小时";
    /// Feishu: "timestamp is not within one hour from current time").</summary>
    private static readonly TimeSpan SignatureWindow = TimeSpan.FromHours(1);

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Robot> _robots = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<RobotDelivery> _received = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);
    private readonly List<RobotDelivery> _rejected = [];
    private readonly List<Waiter> _waiters = [];
    private Uri? _baseAddress;
    private int _disposed;

    private FakeRobotServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>Where the server listens: <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The accepted messages, in arrival order: a snapshot copy, safe to read while requests arrive.</summary>
    public IReadOnlyList<RobotDelivery> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The refused requests, in arrival order, each with the error code answered: a snapshot copy.</summary>
    public IReadOnlyList<RobotDelivery> Rejected
    {
        get
        {
            lock (_gate)
            {
                return [.. _rejected];
            }
        }
    }

    /// <summary>Starts a server on 127.0.0.1 at a free port the operating system chooses.</summary>
    /// <param name="time">The clock for arrival stamps, rate windows and signature timestamps; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeRobotServer> StartAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // No file watcher on the working folder for each server a test starts.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = typeof(FakeRobotServer).Assembly.GetName().Name,
        });

        // Nothing from the environment (ASPNETCORE_URLS, a Kestrel section in an appsettings.json nearby) may move the endpoint.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        var server = new FakeRobotServer(app, time ?? TimeProvider.System);
        app.MapPost("/cgi-bin/webhook/send", (RequestDelegate)server.HandleWeComAsync);
        app.MapPost("/robot/send", (RequestDelegate)server.HandleDingTalkAsync);
        app.MapPost("/open-apis/bot/v2/hook/{hookId}", (RequestDelegate)server.HandleFeishuAsync);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel reported no server addresses.");
            var address = addresses.Addresses.Single();
            server._baseAddress = new Uri(address.EndsWith('/') ? address : address + "/", UriKind.Absolute);
            return server;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Adds a WeCom (企业微信) group robot. It has no signature: the <paramref name="key"/> in the URL is the credential, and an
    /// unknown key is answered <c>{"errcode":93000,"errmsg":"invalid webhook url…"}</c>. Messages: <c>msgtype</c> <c>text</c>
    /// (<c>text.content</c> at most 2,048 bytes UTF-8, optional <c>text.mentioned_list</c> and <c>text.mentioned_mobile_list</c>,
    /// arrays of strings) or <c>markdown</c> (<c>markdown.content</c> at most 4,096 bytes); too long → 40058; a missing or unknown
    /// <c>msgtype</c> → 40008; malformed JSON or a missing content → 40035. At most 20 messages per minute per robot (a sliding 60 s
    /// window of accepted messages): a request when 20 were accepted in the last 60 s → 45009 "api freq out of limit", counted in
    /// <see cref="OverLimit"/>. Success <c>{"errcode":0,"errmsg":"ok"}</c>; always HTTP 200.
    /// </summary>
    /// <returns><c>{BaseAddress}cgi-bin/webhook/send?key={key}</c>.</returns>
    /// <exception cref="ArgumentException">The key is empty or already names a robot of this server.</exception>
    public Uri AddWeComRobot(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Add(new Robot(RobotDelivery.WeCom, key, secret: null, keyword: null), nameof(key));
        return new Uri(BaseAddress, "cgi-bin/webhook/send?key=" + Uri.EscapeDataString(key));
    }

    /// <summary>
    /// Adds a DingTalk (钉钉) custom robot: <c>POST /robot/send?access_token=…&amp;timestamp=…&amp;sign=…</c>; an unknown token →
    /// 300001 "token is not exist". With a <paramref name="secret"/> (加签), <c>timestamp</c> (milliseconds) must be within one hour
    /// of now and <c>sign</c> must be <c>urlencode(base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret)))</c> —
    /// compared, once URL-decoded, with the base64 text, so a sender that forgets to URL-encode a '+' fails as it would on DingTalk;
    /// otherwise 310000 "sign not match". With a <paramref name="keyword"/> (自定义关键词) the message text must contain it, otherwise
    /// 310000 "keywords not in content". Messages: <c>text</c> (<c>text.content</c>, optional <c>at.atMobiles</c>), <c>markdown</c>
    /// (<c>markdown.title</c>, <c>markdown.text</c>) and <c>actionCard</c> (<c>actionCard.title</c>, <c>actionCard.text</c>, and
    /// <c>actionCard.singleTitle</c> with <c>actionCard.singleURL</c>, or <c>actionCard.btns</c>); content (<c>text.content</c>,
    /// <c>markdown.text</c> or <c>actionCard.text</c>) over 20,000 bytes → 460101 "message too long"; an unknown msgtype → 40035.
    /// At most 20 messages per minute: the 21st within 60 s → 130101 "send too fast, exceed 20 times per minute", and the robot is
    /// throttled for 10 minutes, every request in them answered 130101 too; each such request counts in <see cref="OverLimit"/>.
    /// Success <c>{"errcode":0,"errmsg":"ok"}</c>; HTTP 200.
    /// </summary>
    /// <param name="accessToken">The robot's access token.</param>
    /// <param name="secret">The signing secret (usually "SEC…"); null or empty when the robot is not set to sign.</param>
    /// <param name="keyword">A custom keyword the message must contain; null or empty for none.</param>
    /// <returns><c>{BaseAddress}robot/send?access_token={accessToken}</c>; a signing sender appends <c>&amp;timestamp=…&amp;sign=…</c>.</returns>
    /// <exception cref="ArgumentException">The token is empty or already names a robot of this server.</exception>
    public Uri AddDingTalkRobot(string accessToken, string? secret, string? keyword = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        Add(new Robot(RobotDelivery.DingTalk, accessToken, secret, keyword), nameof(accessToken));
        return new Uri(BaseAddress, "robot/send?access_token=" + Uri.EscapeDataString(accessToken));
    }

    /// <summary>
    /// Adds a Feishu (飞书) custom bot: <c>POST /open-apis/bot/v2/hook/{hookId}</c>; an unknown hook →
    /// <c>{"code":19001,"msg":"param invalid: incoming webhook access token invalid"}</c>. With a <paramref name="secret"/> (签名校验)
    /// the body carries <c>timestamp</c> (a string of seconds, within one hour of now) and
    /// <c>sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty))</c>; wrong or missing → 19021 "sign match fail
    /// or timestamp is not within one hour from current time". Messages: <c>msg_type</c> <c>text</c> (<c>content.text</c>),
    /// <c>post</c> (<c>content.post</c>) or <c>interactive</c> (<c>card</c>). The request body may not exceed 20 KB. At most 100
    /// requests per minute and 5 per second per bot: over either → 11232 "frequency limited", counted in <see cref="OverLimit"/>.
    /// A body over 20 KB, malformed JSON, an unknown <c>msg_type</c> or missing content → 19002 (the fake's choice: the documentation
    /// quoted names no code for these). Success <c>{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}</c>;
    /// HTTP 200.
    /// </summary>
    /// <param name="hookId">The hook id, the last path segment of the webhook URL.</param>
    /// <param name="secret">The signing secret; null or empty when the bot is not set to sign.</param>
    /// <returns><c>{BaseAddress}open-apis/bot/v2/hook/{hookId}</c>.</returns>
    /// <exception cref="ArgumentException">The hook id is empty or already names a robot of this server.</exception>
    public Uri AddFeishuRobot(string hookId, string? secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(hookId);
        Add(new Robot(RobotDelivery.Feishu, hookId, secret, keyword: null), nameof(hookId));
        return new Uri(BaseAddress, "open-apis/bot/v2/hook/" + Uri.EscapeDataString(hookId));
    }

    /// <summary>
    /// How many requests to <paramref name="robot"/> arrived while its rate window was already full (for DingTalk, also every
    /// request during its 10-minute throttle). A sender that respects the limits keeps this 0. Injected failures do not count.
    /// </summary>
    /// <param name="robot">The WeCom key, DingTalk access token or Feishu hook id.</param>
    /// <exception cref="ArgumentException">No robot of that name was added.</exception>
    public int OverLimit(string robot)
    {
        var state = Find(robot);
        lock (state.Gate)
        {
            return state.OverLimit;
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> requests to <paramref name="robot"/> with the platform error
    /// <paramref name="errorCode"/> (e.g. 45009, 93000 for WeCom; 130101, 310000 for DingTalk; 19021, 11232 for Feishu) before any
    /// other check, without counting them in the rate window or <see cref="OverLimit"/>. <paramref name="errorCode"/> 500 answers
    /// HTTP 500 with an empty body instead. Calls queue up: the failures of a second call follow those of the first.
    /// </summary>
    /// <exception cref="ArgumentException">No robot of that name was added.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or <paramref name="errorCode"/> is 0.</exception>
    public void FailNext(string robot, int count, int errorCode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfZero(errorCode);
        var state = Find(robot);
        lock (state.Gate)
        {
            for (var i = 0; i < count; i++)
            {
                state.Failures.Enqueue(errorCode);
            }
        }
    }

    /// <summary>
    /// Completes with the first accepted delivery that <paramref name="match"/>es — one already received counts — or throws
    /// <see cref="TimeoutException"/> after <paramref name="timeout"/>. The timeout is real (wall-clock) time, not the server's
    /// <see cref="TimeProvider"/>, so a test whose clock stands still still ends. <paramref name="match"/> may run on request threads,
    /// concurrently: keep it a pure test of the delivery.
    /// </summary>
    /// <exception cref="TimeoutException">No accepted delivery matched in time.</exception>
    /// <exception cref="ObjectDisposedException">The server was disposed while waiting.</exception>
    public Task<RobotDelivery> WaitForAsync(Func<RobotDelivery, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var waiter = new Waiter(match);
        RobotDelivery[] already;
        lock (_gate)
        {
            // Registered under the same lock that appends deliveries: a delivery is either in this snapshot or offered to the waiter.
            already = [.. _received];
            _waiters.Add(waiter);
        }

        foreach (var delivery in already)
        {
            if (waiter.Offer(delivery))
            {
                lock (_gate)
                {
                    _waiters.Remove(waiter);
                }

                break;
            }
        }

        return AwaitAsync(waiter, timeout);
    }

    /// <summary>Stops the server; pending <see cref="WaitForAsync"/> calls fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Waiter[] pending;
        lock (_gate)
        {
            pending = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in pending)
        {
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(FakeRobotServer)));
        }

        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<RobotDelivery> AwaitAsync(Waiter waiter, TimeSpan timeout)
    {
        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            int received, rejected;
            string? lastRejected;
            lock (_gate)
            {
                _waiters.Remove(waiter);
                received = _received.Count;
                rejected = _rejected.Count;
                lastRejected = _rejected.Count == 0 ? null : Describe(_rejected[^1]);
            }

            throw new TimeoutException(
                $"No accepted robot message matched within {timeout}: {received} accepted, {rejected} rejected"
                + (lastRejected is null ? "." : $" (the last: {lastRejected})."));
        }

        static string Describe(RobotDelivery d) => $"{d.Platform} {d.Robot} {d.Code} {d.Error}";
    }

    private void Add(Robot robot, string parameterName)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_robots.TryAdd(robot.Id, robot))
        {
            throw new ArgumentException($"A robot named '{robot.Id}' was already added to this server.", parameterName);
        }
    }

    private Robot Find(string robot)
    {
        ArgumentNullException.ThrowIfNull(robot);
        return _robots.TryGetValue(robot, out var state)
            ? state
            : throw new ArgumentException($"No robot named '{robot}' was added to this server.", nameof(robot));
    }

    private Task HandleWeComAsync(HttpContext context) =>
        HandleAsync(context, RobotDelivery.WeCom, context.Request.Query["key"].ToString(), DecideWeCom);

    private Task HandleDingTalkAsync(HttpContext context) =>
        HandleAsync(context, RobotDelivery.DingTalk, context.Request.Query["access_token"].ToString(), DecideDingTalk);

    private Task HandleFeishuAsync(HttpContext context) =>
        HandleAsync(context, RobotDelivery.Feishu, context.Request.RouteValues["hookId"] as string ?? string.Empty, DecideFeishu);

    private async Task HandleAsync(HttpContext context, string platform, string robotId, Func<Robot, Request, Outcome> decide)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var request = new Request(body, context.Request.Query, now);
        var text = Encoding.UTF8.GetString(body);
        Outcome outcome;
        RobotDelivery delivery;
        Waiter[] waiters;
        if (_robots.TryGetValue(robotId, out var robot) && robot.Platform == platform)
        {
            lock (robot.Gate)
            {
                outcome = robot.Failures.TryDequeue(out var injected) ? Injected(platform, injected) : decide(robot, request);
                if (outcome.Code == 0)
                {
                    robot.Accepted.Enqueue(now);
                }

                // Recorded before the robot's lock is released, so the lists keep this robot's order.
                delivery = new RobotDelivery(platform, robotId, now, text, outcome.Code, outcome.Code == 0 ? null : outcome.Message);
                waiters = Record(delivery);
            }
        }
        else
        {
            outcome = platform switch
            {
                RobotDelivery.WeCom => new(WeComInvalidWebhook, "invalid webhook url, hint: the key is not known to this server"),
                RobotDelivery.DingTalk => new(DingTalkUnknownToken, "token is not exist"),
                _ => new(FeishuUnknownHook, "param invalid: incoming webhook access token invalid"),
            };
            delivery = new RobotDelivery(platform, robotId, now, text, outcome.Code, outcome.Message);
            waiters = Record(delivery);
        }

        // The waiters' match functions run outside every lock of the server.
        foreach (var waiter in waiters)
        {
            if (waiter.Offer(delivery))
            {
                lock (_gate)
                {
                    _waiters.Remove(waiter);
                }
            }
        }

        if (_held.TryGetValue(robotId, out var hold))
        {
            // Held: the message is in (recorded above), its answer waits — a sender killed now never learns it was accepted.
            await hold.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }

        await WriteAsync(context.Response, platform, outcome, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Holds the answers to <paramref name="robot"/>: requests are decided and recorded as usual (an accepted message is in
    /// <see cref="Received"/> at once) but their answers wait until <see cref="Release"/>. What a sender that dies between sending and
    /// reading the answer meets.
    /// </summary>
    public void Hold(string robot)
    {
        _ = Find(robot);
        _held.TryAdd(robot, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>Lets the held answers to <paramref name="robot"/> go, and answers the next requests at once.</summary>
    public void Release(string robot)
    {
        if (_held.TryRemove(robot, out var hold))
        {
            hold.TrySetResult();
        }
    }

    /// <summary>Appends the delivery to its list; returns the waiters to offer it to (none for a refusal).</summary>
    private Waiter[] Record(RobotDelivery delivery)
    {
        lock (_gate)
        {
            if (delivery.Code != 0)
            {
                _rejected.Add(delivery);
                return [];
            }

            // Taken under the lock that WaitForAsync registers under: a waiter either sees this delivery in its snapshot or here.
            _received.Add(delivery);
            return [.. _waiters];
        }
    }

    // ---- WeCom ----

    private static Outcome DecideWeCom(Robot robot, Request request)
    {
        if (robot.CountWithin(request.Now, Minute) >= WeComPerMinute)
        {
            robot.OverLimit++;
            return new(WeComFrequency, "api freq out of limit");
        }

        if (!TryParse(request.Body, out var document))
        {
            return new(WeComParameter, "invalid parameter: the body is not a JSON object");
        }

        using (document)
        {
            var root = document.RootElement;
            var (field, maxBytes) = String(root, "msgtype") switch
            {
                "text" => ("text", WeComTextMaxBytes),
                "markdown" => ("markdown", WeComMarkdownMaxBytes),
                null => (null, 0),
                _ => (null, -1),
            };
            if (field is null)
            {
                return new(WeComMessageType, maxBytes == 0 ? "invalid message type: msgtype is missing" : "invalid message type: this server accepts text and markdown");
            }

            var message = Object(root, field);
            var content = message is { } m ? String(m, "content") : null;
            if (content is null)
            {
                return new(WeComParameter, $"invalid parameter: {field}.content is missing");
            }

            if (field == "text" && !(OptionalStringArray(message!.Value, "mentioned_list") && OptionalStringArray(message.Value, "mentioned_mobile_list")))
            {
                return new(WeComParameter, "invalid parameter: text.mentioned_list and text.mentioned_mobile_list must be arrays of strings");
            }

            var bytes = Encoding.UTF8.GetByteCount(content);
            return bytes > maxBytes
                ? new(WeComContentLength, $"invalid content length: {field}.content is {bytes} bytes, at most {maxBytes}")
                : Outcome.Ok;
        }
    }

    // ---- DingTalk ----

    private static Outcome DecideDingTalk(Robot robot, Request request)
    {
        if (robot.Secret is { } secret && !DingTalkSigned(secret, request))
        {
            return new(DingTalkSign, "sign not match");
        }

        if (robot.ThrottledUntil is { } until && request.Now < until)
        {
            robot.OverLimit++;
            return new(DingTalkTooFast, "send too fast, exceed 20 times per minute");
        }

        if (robot.CountWithin(request.Now, Minute) >= DingTalkPerMinute)
        {
            robot.ThrottledUntil = request.Now + DingTalkThrottle;
            robot.OverLimit++;
            return new(DingTalkTooFast, "send too fast, exceed 20 times per minute");
        }

        if (!TryParse(request.Body, out var document))
        {
            return new(DingTalkParameter, "invalid parameter: the body is not a JSON object");
        }

        using (document)
        {
            var root = document.RootElement;
            var msgtype = String(root, "msgtype");
            string? content;
            string searchable;
            switch (msgtype)
            {
                case "text":
                {
                    content = Object(root, "text") is { } text ? String(text, "content") : null;
                    if (content is null)
                    {
                        return new(DingTalkParameter, "invalid parameter: text.content is missing");
                    }

                    var atValid = !root.TryGetProperty("at", out var at) || at.ValueKind == JsonValueKind.Null
                        || (at.ValueKind == JsonValueKind.Object && OptionalStringArray(at, "atMobiles") && OptionalStringArray(at, "atUserIds"));
                    if (!atValid)
                    {
                        return new(DingTalkParameter, "invalid parameter: at.atMobiles must be an array of strings");
                    }

                    searchable = content;
                    break;
                }

                case "markdown":
                {
                    var markdown = Object(root, "markdown");
                    var title = markdown is { } m1 ? String(m1, "title") : null;
                    content = markdown is { } m2 ? String(m2, "text") : null;
                    if (title is null || content is null)
                    {
                        return new(DingTalkParameter, "invalid parameter: markdown.title and markdown.text are required");
                    }

                    searchable = title + "\n" + content;
                    break;
                }

                case "actionCard":
                {
                    if (Object(root, "actionCard") is not { } card)
                    {
                        return new(DingTalkParameter, "invalid parameter: actionCard is missing");
                    }

                    var title = String(card, "title");
                    content = String(card, "text");
                    var singleTitle = String(card, "singleTitle");
                    var singleUrl = String(card, "singleURL");
                    var buttons = card.TryGetProperty("btns", out var btns) && btns.ValueKind == JsonValueKind.Array && btns.GetArrayLength() > 0;
                    if (title is null || content is null || (singleTitle is null != singleUrl is null) || (singleTitle is null && !buttons))
                    {
                        return new(DingTalkParameter, "invalid parameter: actionCard needs title, text, and singleTitle with singleURL (or btns)");
                    }

                    searchable = title + "\n" + content + "\n" + singleTitle;
                    break;
                }

                default:
                    return new(DingTalkParameter, "invalid parameter: unknown msgtype");
            }

            if (Encoding.UTF8.GetByteCount(content) > DingTalkMaxContentBytes)
            {
                return new(DingTalkTooLong, "message too long");
            }

            if (robot.Keyword is { } keyword && !searchable.Contains(keyword, StringComparison.Ordinal))
            {
                return new(DingTalkSign, "keywords not in content");
            }

            return Outcome.Ok;
        }
    }

    /// <summary>DingTalk's 加签: <c>sign = urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret)))</c>, timestamp in ms.</summary>
    private static bool DingTalkSigned(string secret, Request request)
    {
        // ASP.NET has already URL-decoded the query values once: what remains must be the base64 text itself.
        if (request.Query["timestamp"] is not [{ } timestamp] || request.Query["sign"] is not [{ } sign]
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || Math.Abs(request.Now.ToUnixTimeMilliseconds() - milliseconds) > (long)SignatureWindow.TotalMilliseconds)
        {
            return false;
        }

        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "\n" + secret)));
        return FixedTimeEquals(expected, sign);
    }

    // ---- Feishu ----

    private static Outcome DecideFeishu(Robot robot, Request request)
    {
        if (request.Body.Length > FeishuMaxBodyBytes)
        {
            return new(FeishuParameter, "params error, msg is too long");
        }

        if (!TryParse(request.Body, out var document))
        {
            return new(FeishuParameter, "params error, the body is not a JSON object");
        }

        using (document)
        {
            var root = document.RootElement;
            if (robot.Secret is { } secret && !FeishuSigned(secret, root, request.Now))
            {
                return new(FeishuSign, "sign match fail or timestamp is not within one hour from current time");
            }

            if (robot.CountWithin(request.Now, Second) >= FeishuPerSecond || robot.CountWithin(request.Now, Minute) >= FeishuPerMinute)
            {
                robot.OverLimit++;
                return new(FeishuFrequency, "frequency limited");
            }

            var valid = String(root, "msg_type") switch
            {
                "text" => Object(root, "content") is { } content && String(content, "text") is not null,
                "post" => Object(root, "content") is { } content && Object(content, "post") is not null,
                "interactive" => Object(root, "card") is not null,
                null => (bool?)null,
                _ => false,
            };
            return valid switch
            {
                null => new(FeishuParameter, "params error, msg_type need"),
                false => new(FeishuParameter, "params error, unknown msg_type or missing content"),
                true => Outcome.Ok,
            };
        }
    }

    /// <summary>Feishu's 签名校验: <c>sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty))</c>, timestamp in s.</summary>
    private static bool FeishuSigned(string secret, JsonElement root, DateTimeOffset now)
    {
        if (String(root, "timestamp") is not { } timestamp || String(root, "sign") is not { } sign
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)SignatureWindow.TotalSeconds)
        {
            return false;
        }

        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(timestamp + "\n" + secret), Array.Empty<byte>()));
        return FixedTimeEquals(expected, sign);
    }

    // ---- shared ----

    private static Outcome Injected(string platform, int code)
    {
        if (code == 500)
        {
            return new(500, "HTTP 500 (injected)", Http500: true);
        }

        var message = (platform, code) switch
        {
            (RobotDelivery.WeCom, WeComFrequency) => "api freq out of limit",
            (RobotDelivery.WeCom, WeComInvalidWebhook) => "invalid webhook url",
            (RobotDelivery.WeCom, -1) => "system busy",
            (RobotDelivery.DingTalk, DingTalkTooFast) => "send too fast, exceed 20 times per minute",
            (RobotDelivery.DingTalk, DingTalkSign) => "sign not match",
            (RobotDelivery.DingTalk, DingTalkUnknownToken) => "token is not exist",
            (RobotDelivery.DingTalk, DingTalkTooLong) => "message too long",
            (RobotDelivery.Feishu, FeishuSign) => "sign match fail or timestamp is not within one hour from current time",
            (RobotDelivery.Feishu, FeishuFrequency) => "frequency limited",
            (RobotDelivery.Feishu, FeishuUnknownHook) => "param invalid: incoming webhook access token invalid",
            _ => "injected failure",
        };
        return new(code, message + " (injected)");
    }

    private static bool TryParse(byte[] body, out JsonDocument document)
    {
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            document = null!;
            return false;
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        document.Dispose();
        document = null!;
        return false;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement? Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static bool OptionalStringArray(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        return value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String);
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpResponse response, string platform, Outcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Http500)
        {
            response.StatusCode = StatusCodes.Status500InternalServerError;
            response.ContentLength = 0;
            return;
        }

        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (platform == RobotDelivery.Feishu)
            {
                if (outcome.Code == 0)
                {
                    // Some Feishu versions answer with the older StatusCode/StatusMessage pair beside code/msg.
                    writer.WriteNumber("StatusCode", 0);
                    writer.WriteString("StatusMessage", "success");
                }

                writer.WriteNumber("code", outcome.Code);
                writer.WriteStartObject("data");
                writer.WriteEndObject();
                writer.WriteString("msg", outcome.Code == 0 ? "success" : outcome.Message);
            }
            else
            {
                writer.WriteNumber("errcode", outcome.Code);
                writer.WriteString("errmsg", outcome.Code == 0 ? "ok" : outcome.Message);
            }

            writer.WriteEndObject();
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = json.WrittenCount;
        await response.Body.WriteAsync(json.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What one request carried, and when it arrived.</summary>
    private readonly record struct Request(byte[] Body, IQueryCollection Query, DateTimeOffset Now);

    /// <summary>The answer: code 0 accepts; <see cref="Http500"/> answers HTTP 500 with an empty body.</summary>
    private readonly record struct Outcome(int Code, string Message, bool Http500 = false)
    {
        public static Outcome Ok => new(0, "ok");
    }

    /// <summary>One robot's settings and counters; everything mutable is guarded by <see cref="Gate"/>.</summary>
    private sealed class Robot(string platform, string id, string? secret, string? keyword)
    {
        public Lock Gate { get; } = new();

        public string Platform { get; } = platform;

        public string Id { get; } = id;

        public string? Secret { get; } = string.IsNullOrEmpty(secret) ? null : secret;

        public string? Keyword { get; } = string.IsNullOrEmpty(keyword) ? null : keyword;

        /// <summary>When accepted messages arrived, oldest first; entries older than a minute are dropped as new ones are counted.</summary>
        public Queue<DateTimeOffset> Accepted { get; } = new();

        public Queue<int> Failures { get; } = new();

        public int OverLimit { get; set; }

        public DateTimeOffset? ThrottledUntil { get; set; }

        /// <summary>Accepted messages in the sliding window <c>(now − window, now]</c>.</summary>
        public int CountWithin(DateTimeOffset now, TimeSpan window)
        {
            while (Accepted.TryPeek(out var oldest) && now - oldest >= Minute)
            {
                Accepted.Dequeue();
            }

            var count = 0;
            foreach (var at in Accepted)
            {
                if (now - at < window)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <summary>A pending <see cref="WaitForAsync"/>.</summary>
    private sealed class Waiter(Func<RobotDelivery, bool> match)
    {
        public TaskCompletionSource<RobotDelivery> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes the wait when <paramref name="delivery"/> matches; true when the wait is over (matched, or the match threw).</summary>
        public bool Offer(RobotDelivery delivery)
        {
            if (Completion.Task.IsCompleted)
            {
                return true;
            }

            try
            {
                return match(delivery) && Completion.TrySetResult(delivery) || Completion.Task.IsCompleted;
            }
            catch (Exception exception)
            {
                Completion.TrySetException(exception);
                return true;
            }
        }
    }
}
