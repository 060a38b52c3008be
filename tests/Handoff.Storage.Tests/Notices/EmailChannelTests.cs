using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Handoff.Core.Notices.Channels;
using Handoff.Storage.Notices.Channels;
using Handoff.Testing;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Handoff.Storage.Tests.Notices;

/// <summary>
/// Issue 22: e-mail notices through a real SMTP server the test starts (the SmtpServer package): STARTTLS on the submission port with a
/// certificate of its own, authentication required and refused before TLS, the message in UTF-8 with a Chinese subject and the notice id
/// in a header.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class EmailChannelTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AnEscalation_IsMailedOverStartTls_Authenticated_WithAChineseSubject_AndItsIdInAHeader()
    {
        await using var mail = await MailServer.StartAsync("handoff", "s3cret");
        await using var rig = await StartAsync(mail, password: "s3cret");
        var notice = rig.Escalation("张某某");

        await rig.Dispatcher.DispatchAsync([notice]);
        await rig.DrainAsync(rig.Target);

        var (message, user, secure) = Assert.Single(mail.Received);
        Assert.Equal(("handoff", true), (user, secure));
        Assert.Equal("【逾期未报到·第1级督办】张某某", message.Subject);
        Assert.Equal(notice.Id, message.Headers[ChannelSender.NoticeHeader]);
        Assert.Equal("duty@pingyuan.example.cn", message.To.Mailboxes.Single().Address);
        var text = Assert.IsType<TextPart>(message.Body);
        Assert.Equal("utf-8", text.ContentType.Charset, ignoreCase: true);
        Assert.Contains("截止时间：2026年3月17日 24:00；已逾期1小时", text.Text, StringComparison.Ordinal);
        Assert.Contains("https://handoff.example.gov.cn/cases/HO-7K2M9Q4T1BXR", text.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{17}[\dXx]", text.Text); // never a clear identity number
        Assert.Equal(ChannelNoticeStatus.Sent, (await rig.Store.FindAsync(rig.Target.Key, notice.Id))!.Status);
    }

    [Fact]
    public async Task AWrongPassword_IsGivenUpAtOnce_AndReported()
    {
        await using var mail = await MailServer.StartAsync("handoff", "s3cret");
        await using var rig = await StartAsync(mail, password: "wrong");
        var notice = rig.Escalation("张某某");

        await rig.Dispatcher.DispatchAsync([notice]);
        await rig.DrainAsync(rig.Target);

        var logins = mail.FailedLogins; // MailKit tries each mechanism the server offers (PLAIN, LOGIN) in its one attempt
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.Handler.RunAsync(rig.Target, CancellationToken.None);
        Assert.Empty(mail.Received);
        Assert.InRange(logins, 1, 2);
        Assert.Equal(logins, mail.FailedLogins); // not tried again
        var record = (await rig.Store.FindAsync(rig.Target.Key, notice.Id))!;
        Assert.Equal(ChannelNoticeStatus.GaveUp, record.Status);
        Assert.Contains("535", record.Error, StringComparison.Ordinal);
    }

    private Task<ChannelRig> StartAsync(MailServer mail, string password) =>
        ChannelRig.StartAsync(azurite,
            (_, org) => [new ChannelTarget(org, ChannelPlatform.Email, null, null, ["duty@pingyuan.example.cn"], ChannelDirectory.DefaultKinds, ChannelLimits.Email)],
            smtp: new SmtpSettings("localhost", mail.Port, StartTls: true, Secure: true, "handoff", password, "handoff@example.gov.cn"),
            certificates: (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == mail.Certificate.GetCertHashString());

    /// <summary>An SMTP server on a free loopback port: STARTTLS with a self-signed certificate, AUTH required and only under TLS.</summary>
    private sealed class MailServer : MessageStore, IUserAuthenticator, IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<(MimeMessage, string?, bool)> _received = [];
        private readonly string _user;
        private readonly string _password;
        private Task? _running;
        private int _failedLogins;

        private MailServer(string user, string password)
        {
            _user = user;
            _password = password;
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        public X509Certificate2 Certificate { get; }

        public int Port { get; }

        public int FailedLogins => Volatile.Read(ref _failedLogins);

        public IReadOnlyList<(MimeMessage Message, string? User, bool Secure)> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public static Task<MailServer> StartAsync(string user, string password)
        {
            var server = new MailServer(user, password);
            var options = new SmtpServerOptionsBuilder()
                .ServerName("localhost")
                .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, server.Port)).IsSecure(false)
                    .AllowUnsecureAuthentication(false).AuthenticationRequired(true).Certificate(server.Certificate))
                .Build();
            var services = new ServiceProvider();
            services.Add((IMessageStore)server);
            services.Add((IUserAuthenticator)server);
            server._running = new SmtpServer.SmtpServer(options, services).StartAsync(server._stop.Token);
            return Task.FromResult(server);
        }

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream, cancellationToken);
            lock (_received)
            {
                _received.Add((message, context.Authentication.User, context.Pipe is { IsSecure: true }));
            }

            return Task.FromResult(SmtpResponse.Ok);
        }

        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            var ok = user == _user && password == _password;
            if (!ok)
            {
                Interlocked.Increment(ref _failedLogins);
            }

            return Task.FromResult(ok);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await (_running ?? Task.CompletedTask);
            }
            catch (OperationCanceledException)
            {
            }

            Certificate.Dispose();
            _stop.Dispose();
        }
    }
}
