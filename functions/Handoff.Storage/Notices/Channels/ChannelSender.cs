using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Handoff.Core.Notices;
using Handoff.Core.Notices.Channels;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Handoff.Storage.Notices.Channels;

/// <summary>A message composed for one channel: what it carries (the first <see cref="Count"/> of the notices given) and how it goes.</summary>
public sealed record ChannelMessage(int Count, string? Json, string? Subject, string? Text);

/// <summary>
/// Composes and sends one channel's messages: a robot's JSON <c>POST</c> (钉钉's signature in the query, 飞书's in the body) or an
/// e-mail through <see cref="SmtpSettings"/> (MailKit: STARTTLS and authentication, UTF-8). Every failure becomes a
/// <see cref="ChannelOutcome"/>: a request that never left (no connection, no name) is transient, one that may have arrived without an
/// answer (a timeout, a dropped connection) uncertain — never sent again, so a notice is never in a group twice.
/// </summary>
public sealed class ChannelSender(
    IHttpClientFactory http, ChannelDirectory channels, TimeProvider time, RemoteCertificateValidationCallback? mailCertificates = null, TimeSpan? sendTimeout = null)
{
    private readonly TimeSpan _sendTimeout = sendTimeout ?? TimeSpan.FromSeconds(10);

    public const string ClientName = "handoff-channels";

    /// <summary>The header of an e-mail that names the notices it carries, one per notice.</summary>
    public const string NoticeHeader = "X-Handoff-Notice";

    public ChannelMessage Compose(ChannelTarget target, IReadOnlyList<Notice> notices)
    {
        if (target.Platform == ChannelPlatform.Email)
        {
            var (subject, body, count) = MailText.Compose(notices, channels.CaseLink);
            return new ChannelMessage(count, null, subject, body);
        }

        var message = RobotMessages.Compose(target.Platform, notices, channels.CaseLink, channels.Mentions(target.OrganisationId), time.GetUtcNow(), target.Secret);
        return new ChannelMessage(message.Count, message.Body, null, null);
    }

    public Task<ChannelOutcome> SendAsync(ChannelTarget target, ChannelMessage message, IReadOnlyList<Notice> carried, string attempt, CancellationToken cancellationToken) =>
        target.Platform == ChannelPlatform.Email
            ? MailAsync(target, message, carried, attempt, cancellationToken)
            : PostAsync(target, message, cancellationToken);

    private async Task<ChannelOutcome> PostAsync(ChannelTarget target, ChannelMessage message, CancellationToken cancellationToken)
    {
        var url = target.Url!;
        if (target.Platform == ChannelPlatform.DingTalk && target.Secret is { } secret)
        {
            var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds();
            var signed = $"timestamp={timestamp}&sign={RobotSignatures.DingTalk(timestamp, secret)}";
            var builder = new UriBuilder(url) { Query = url.Query.Length > 1 ? url.Query[1..] + "&" + signed : signed };
            url = builder.Uri;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(message.Json!, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        try
        {
            using var response = await http.CreateClient(ClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return ChannelAnswer.Read(target.Platform, (int)response.StatusCode, body, response.Headers.RetryAfter?.Delta);
        }
        catch (Exception e) when (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError }
                                  || Inner<ConnectFailedException>(e) is not null)
        {
            return new ChannelOutcome(ChannelOutcomeKind.Transient, null, $"无法连接 {url.Host}：{(Inner<ConnectFailedException>(e) ?? e).Message}");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.SecureConnectionError)
        {
            return new ChannelOutcome(ChannelOutcomeKind.Permanent, null, $"与 {url.Host} 的 TLS 连接失败（证书或协议）：{e.Message}");
        }
        catch (HttpRequestException e)
        {
            return new ChannelOutcome(ChannelOutcomeKind.Uncertain, null, $"请求已发出但未收到完整应答：{e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChannelOutcome(ChannelOutcomeKind.Uncertain, null, "请求已发出但应答超时");
        }
    }

    private async Task<ChannelOutcome> MailAsync(ChannelTarget target, ChannelMessage message, IReadOnlyList<Notice> carried, string attempt, CancellationToken cancellationToken)
    {
        if (channels.Smtp is not { } smtp)
        {
            return new ChannelOutcome(ChannelOutcomeKind.Permanent, null, "未配置邮件服务器（Handoff:Smtp:Host）");
        }

        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var to in target.To)
        {
            mail.To.Add(MailboxAddress.Parse(to));
        }

        mail.Subject = message.Subject ?? "";
        var domain = MailboxAddress.Parse(smtp.From).Domain;
        mail.MessageId = (carried.Count == 1 ? carried[0].Id : attempt) + "@" + (domain.Length > 0 ? domain : "handoff.invalid");
        foreach (var notice in carried)
        {
            mail.Headers.Add(NoticeHeader, notice.Id);
        }

        var text = new TextPart("plain");
        text.SetText("utf-8", message.Text!);
        mail.Body = text;

        using var client = new SmtpClient { Timeout = (int)_sendTimeout.TotalMilliseconds };
        if (mailCertificates is not null)
        {
            client.ServerCertificateValidationCallback = mailCertificates;
        }

        var options = !smtp.Secure ? SecureSocketOptions.None : smtp.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.SslOnConnect;
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, options, cancellationToken).ConfigureAwait(false);
            if (smtp.UserName is { Length: > 0 } user)
            {
                await client.AuthenticateAsync(user, smtp.Password ?? "", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ChannelOutcome(ChannelOutcomeKind.Transient, null, $"无法连接邮件服务器 {smtp.Host}:{smtp.Port}：{e.Message}");
        }
        catch (SslHandshakeException e)
        {
            return new ChannelOutcome(ChannelOutcomeKind.Permanent, null, $"邮件服务器 {smtp.Host} 的 TLS 握手失败（证书）：{e.Message}");
        }
        catch (AuthenticationException e)
        {
            return new ChannelOutcome(ChannelOutcomeKind.Permanent, 535, $"邮件服务器拒绝登录：{e.Message}");
        }
        catch (SmtpCommandException e)
        {
            return Command(e);
        }
        catch (Exception e) when (e is ServiceNotConnectedException or SmtpProtocolException or NotSupportedException)
        {
            return new ChannelOutcome(ChannelOutcomeKind.Permanent, null, $"邮件服务器不支持所配置的连接方式：{e.Message}");
        }

        try
        {
            await client.SendAsync(mail, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpCommandException e)
        {
            return Command(e);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ChannelOutcome(ChannelOutcomeKind.Uncertain, null, $"邮件已发出但未收到服务器确认：{e.Message}");
        }

        try
        {
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException or SocketException)
        {
            // The server took the message; a QUIT that fails changes nothing.
        }

        return ChannelOutcome.Accepted;
    }

    private static T? Inner<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>An SMTP reply: 5xx can never work as configured (permanent), 4xx may later (transient).</summary>
    private static ChannelOutcome Command(SmtpCommandException e) =>
        new((int)e.StatusCode >= 500 ? ChannelOutcomeKind.Permanent : ChannelOutcomeKind.Transient, (int)e.StatusCode, $"SMTP {(int)e.StatusCode} {e.Message}");
}

/// <summary>
/// The robots' HTTP client: from <see cref="IHttpClientFactory"/>, no redirects (a notice goes only where it is configured), the whole
/// request within the send timeout and the connection within half of it. A connection that cannot be made — refused, or no answer to
/// it within its time (a firewall dropping it) — fails as <see cref="ConnectFailedException"/>: nothing was sent, so it is retried,
/// unlike a request that went and got no answer.
/// </summary>
public static class ChannelClient
{
    public static SocketsHttpHandler Handler(TimeSpan timeout) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = timeout / 2,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e)
            {
                socket.Dispose();
                throw new ConnectFailedException($"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}", e);
            }
        },
    };

    public static IHttpClientBuilder AddChannelClient(this IServiceCollection services, TimeSpan timeout) =>
        services.AddHttpClient(ChannelSender.ClientName, c => c.Timeout = timeout).ConfigurePrimaryHttpMessageHandler(() => Handler(timeout));
}

/// <summary>No connection could be made to a channel's host: the request never left.</summary>
public sealed class ConnectFailedException(string endpoint, Exception inner) : IOException($"No connection to {endpoint}: {inner.Message}", inner);
