using System.Text.Json;
using Handoff.Core.Notices;
using Handoff.Core.Notices.Channels;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Storage.Notices.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Handoff.Api.Hosting;

/// <summary>
/// Reads the organisations' channels (issue 22; docs/notices.md "Group robots and e-mail"):
/// <list type="bullet">
/// <item><c>Handoff:Channels:{organisationId}:WeCom:Url</c>; <c>…:DingTalk:Url</c> and <c>…:DingTalk:Secret</c>; <c>…:Feishu:Url</c> and
/// <c>…:Feishu:Secret</c>; <c>…:Email:To</c> (addresses, comma-separated); per channel optionally <c>…:Kinds</c> (notice kinds,
/// kebab-case, comma-separated, <c>*</c> for all; default <see cref="ChannelDirectory.DefaultKinds"/>), <c>…:PerMinute</c> and
/// <c>…:PerSecond</c> (defaults <see cref="ChannelLimits"/>);</item>
/// <item><c>Handoff:Channels:{organisationId}:Mentions</c>: the duty officers' mobile numbers, mentioned on a first-level escalation;</item>
/// <item><c>Handoff:Smtp:Host</c>, <c>Port</c> (587), <c>Security</c> (<c>StartTls</c>, <c>SslOnConnect</c>; <c>None</c> only in
/// Development to a loopback server), <c>UserName</c>, <c>Password</c>, <c>From</c>;</item>
/// <item><c>Handoff:PublicUrl</c>: where the pages are, for the case links (Development: <c>http://127.0.0.1:7071/</c>).</item>
/// </list>
/// App Service takes app setting names of letters, digits, <c>.</c> and <c>_</c> only, so an organisation id's hyphens may be written
/// as <c>_</c> there (<c>Handoff__Channels__meizhou_centre__WeCom__Url</c>); organisation ids never hold <c>_</c>.
/// A value still reading <c>@Microsoft.KeyVault(…)</c> is a Key Vault reference App Service could not resolve: that channel is left
/// out and listed as failing (<see cref="ChannelDirectory.Unresolved"/>, <c>/healthz</c>), and the service starts — a robot's missing
/// secret must not stop the cases' own deadlines.
/// Everything else wrong is reported at once and stops the start-up, naming the setting and the rule. Robots are reached over https only;
/// in Development a loopback <c>http</c> address is allowed for local stand-ins.
/// </summary>
public static class ChannelSettings
{
    public static ChannelDirectory Load(IConfiguration configuration, OrganisationDirectory directory, IHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        var errors = new List<string>();
        var targets = new List<ChannelTarget>();
        var mentions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var unresolved = new List<UnresolvedChannel>();
        foreach (var organisation in configuration.GetSection("Handoff:Channels").GetChildren())
        {
            var org = organisation.Key.Replace('_', '-');
            var prefix = $"Handoff:Channels:{organisation.Key}";
            if (directory.Find(org) is null)
            {
                errors.Add($"{prefix}: no organisation {org} in the directory");
                continue;
            }

            foreach (var child in organisation.GetChildren())
            {
                if (child.Key == "Mentions")
                {
                    var numbers = List(child);
                    if (numbers.Any(IsReference))
                    {
                        unresolved.Add(new UnresolvedChannel(org, child.Path));
                        continue;
                    }

                    foreach (var bad in numbers.Where(n => n.Length != 11 || n[0] != '1' || !n.All(char.IsAsciiDigit)))
                    {
                        errors.Add($"{prefix}:Mentions: '{bad}' is not a mainland mobile number (11 digits starting with 1)");
                    }

                    mentions[org] = numbers;
                    continue;
                }

                if (!char.IsAsciiLetterUpper(child.Key[0]) || !Enum.TryParse<ChannelPlatform>(child.Key, ignoreCase: false, out var platform) || !Enum.IsDefined(platform))
                {
                    errors.Add($"{prefix}:{child.Key}: unknown channel; use WeCom, DingTalk, Feishu, Email or Mentions");
                    continue;
                }

                if (string.IsNullOrEmpty(child[platform == ChannelPlatform.Email ? "To" : "Url"]) && string.IsNullOrEmpty(child["Secret"]))
                {
                    continue; // Left blank (as in local.settings.sample.json): not configured.
                }

                if (child.GetChildren().FirstOrDefault(c => IsReference(c.Value)) is { } reference)
                {
                    unresolved.Add(new UnresolvedChannel(ChannelTarget.KeyOf(org, platform), reference.Path));
                    continue;
                }

                if (Target(child, org, platform, development, errors) is { } target)
                {
                    targets.Add(target);
                }
            }
        }

        var smtpSection = configuration.GetSection("Handoff:Smtp");
        SmtpSettings? smtp = null;
        if (smtpSection.GetChildren().FirstOrDefault(c => IsReference(c.Value)) is { } smtpReference)
        {
            // The mail server's password unreadable on this instance: the e-mail channels are off here, and listed as failing.
            foreach (var mail in targets.Where(t => t.Platform == ChannelPlatform.Email).ToList())
            {
                targets.Remove(mail);
                unresolved.Add(new UnresolvedChannel(mail.Key, smtpReference.Path));
            }
        }
        else
        {
            smtp = Smtp(smtpSection, development, errors);
            if (smtp is null && targets.Any(t => t.Platform == ChannelPlatform.Email))
            {
                errors.Add("Handoff:Smtp:Host is required: an organisation has an e-mail channel");
            }
        }

        foreach (var twice in targets.GroupBy(t => t.Key).Where(g => g.Count() > 1))
        {
            errors.Add($"Handoff:Channels: {twice.Key} is configured twice (an organisation id written with '-' and with '_')");
        }

        foreach (var shared in targets.Where(t => t.Url is not null).GroupBy(t => t.Url!.AbsoluteUri, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"Handoff:Channels: {string.Join(" and ", shared.Select(t => t.Key))} use the same robot: a platform limits each robot, so two channels on one would together exceed it; give each organisation its own robot");
        }

        var publicUrl = configuration["Handoff:PublicUrl"] is { Length: > 0 } configured ? configured : development ? "http://127.0.0.1:7071/" : null;
        Uri? linkBase = null;
        if (publicUrl is null)
        {
            if (targets.Count > 0)
            {
                errors.Add("Handoff:PublicUrl is required: messages link to the case pages (e.g. https://handoff.example.gov.cn/)");
            }
        }
        else if (!Uri.TryCreate(publicUrl.EndsWith('/') ? publicUrl : publicUrl + "/", UriKind.Absolute, out linkBase)
            || (linkBase.Scheme != Uri.UriSchemeHttps && !(development && linkBase.Scheme == Uri.UriSchemeHttp)))
        {
            errors.Add($"Handoff:PublicUrl: '{publicUrl}' must be an absolute https address");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid notice channels:\n- " + string.Join("\n- ", errors));
        }

        return new ChannelDirectory(targets, mentions, linkBase ?? new Uri("http://127.0.0.1:7071/"), smtp, unresolved);
    }

    private static ChannelTarget? Target(IConfigurationSection section, string org, ChannelPlatform platform, bool development, List<string> errors)
    {
        var path = section.Path;
        var count = errors.Count;
        Uri? url = null;
        IReadOnlyList<string> to = [];
        if (platform == ChannelPlatform.Email)
        {
            to = List(section.GetSection("To"));
            if (to.Count == 0)
            {
                errors.Add($"{path}:To: at least one address");
            }

            foreach (var bad in to.Where(a => !System.Net.Mail.MailAddress.TryCreate(a, out _)))
            {
                errors.Add($"{path}:To: '{bad}' is not an e-mail address");
            }
        }
        else if (section["Url"] is not { Length: > 0 } text || !Uri.TryCreate(text, UriKind.Absolute, out url))
        {
            errors.Add($"{path}:Url: the robot's webhook address, absolute (the host is part of it: a government edition is its own host)");
        }
        else if (url.Scheme != Uri.UriSchemeHttps && !(development && url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            errors.Add($"{path}:Url: notices carry personal data and go over https only (http only to a loopback stand-in in Development)");
        }
        else if (url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            errors.Add($"{path}:Url: the webhook address as the platform gives it, without '#…' or a user name");
        }

        var secret = section["Secret"] is { Length: > 0 } s ? s : null;
        if (secret is not null && platform is ChannelPlatform.WeCom or ChannelPlatform.Email)
        {
            errors.Add($"{path}:Secret: {platform} has no signing secret");
        }

        var kinds = Kinds(section["Kinds"], path, errors);
        var defaults = ChannelLimits.For(platform);
        var perMinute = section.GetValue("PerMinute", defaults.PerMinute);
        var perSecond = section.GetValue("PerSecond", defaults.PerSecond);
        if (perMinute is < 1 or > 1000)
        {
            errors.Add($"{path}:PerMinute: between 1 and 1000");
        }

        if (perSecond is < 0 or > 100)
        {
            errors.Add($"{path}:PerSecond: between 0 (none) and 100");
        }

        return errors.Count > count ? null : new ChannelTarget(org, platform, url, secret, to, kinds, new ChannelLimits(perMinute, perSecond));
    }

    private static IReadOnlySet<NoticeKind> Kinds(string? text, string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ChannelDirectory.DefaultKinds;
        }

        if (text.Trim() == "*")
        {
            return Enum.GetValues<NoticeKind>().ToHashSet();
        }

        var kinds = new HashSet<NoticeKind> { NoticeKind.ChannelTest };
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                kinds.Add(JsonSerializer.Deserialize<NoticeKind>(JsonSerializer.Serialize(name), CoreJson.Options));
            }
            catch (JsonException)
            {
                errors.Add($"{path}:Kinds: '{name}' is not a notice kind (docs/notices.md lists them, e.g. escalation, escalation-resolved, violation)");
            }
        }

        return kinds;
    }

    private static SmtpSettings? Smtp(IConfigurationSection section, bool development, List<string> errors)
    {
        if (section["Host"] is not { Length: > 0 } host)
        {
            return null;
        }

        var port = section.GetValue("Port", 587);
        var security = section["Security"] is { Length: > 0 } s ? s : "StartTls";
        var loopback = host is "localhost" or "127.0.0.1" or "::1";
        if (port is < 1 or > 65535)
        {
            errors.Add("Handoff:Smtp:Port: between 1 and 65535");
        }

        if (security is not ("StartTls" or "SslOnConnect" or "None"))
        {
            errors.Add("Handoff:Smtp:Security: StartTls, SslOnConnect, or (Development, loopback only) None");
        }
        else if (security == "None" && !(development && loopback))
        {
            errors.Add("Handoff:Smtp:Security: None sends notices in clear; only in Development to a loopback server");
        }

        if (section["From"] is not { Length: > 0 } from || !System.Net.Mail.MailAddress.TryCreate(from, out _))
        {
            errors.Add("Handoff:Smtp:From: the sender's address");
            from = "";
        }

        var user = section["UserName"] is { Length: > 0 } u ? u : null;
        var password = section["Password"] is { Length: > 0 } p ? p : null;
        if (user is not null && password is null)
        {
            errors.Add("Handoff:Smtp:Password: required with Handoff:Smtp:UserName (from Key Vault in Azure)");
        }

        return new SmtpSettings(host, port, security == "StartTls", security != "None", user, password, from);
    }

    /// <summary>A Key Vault reference App Service did not resolve (it leaves the reference text as the value).</summary>
    private static bool IsReference(string? value) => value?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>A list setting: comma- or semicolon-separated text, or an array of children.</summary>
    private static IReadOnlyList<string> List(IConfigurationSection section) =>
        section.Value is { Length: > 0 } text
            ? text.Split([',', ';', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. section.GetChildren().Select(c => c.Value ?? "").Where(v => v.Length > 0)];
}
