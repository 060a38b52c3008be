using System.Text;

namespace Handoff.Core.Notices.Channels;

/// <summary>
/// A notice, or a digest of several, as an e-mail's Chinese subject and plain-text body (pure). Unlike a robot's, a mail's size is not
/// limited: each notice goes whole, with its link and its id (so a reader can tell a repeat from a new notice).
/// </summary>
public static class MailText
{
    /// <summary>The subject and body for the first <see cref="RobotMessages.MaxDigest"/> of <paramref name="notices"/> (oldest first).</summary>
    public static (string Subject, string Body, int Count) Compose(IReadOnlyList<Notice> notices, Func<Notice, Uri> link)
    {
        ArgumentOutOfRangeException.ThrowIfZero(notices.Count);
        var included = notices.Take(RobotMessages.MaxDigest).ToList();
        var body = new StringBuilder();
        if (included.Count == 1)
        {
            Append(body, included[0], link);
            return (included[0].Title, body.ToString(), 1);
        }

        body.Append(RobotMessages.DigestTitle(included)).Append("\n\n");
        for (var i = 0; i < included.Count; i++)
        {
            body.Append(i + 1).Append(". ").Append(included[i].Title).Append('\n');
            Append(body, included[i], link);
            body.Append('\n');
        }

        if (notices.Count > included.Count)
        {
            body.Append("其余通知随后发送。\n");
        }

        return (RobotMessages.DigestTitle(included), body.ToString(), included.Count);
    }

    private static void Append(StringBuilder body, Notice notice, Func<Notice, Uri> link) =>
        body.Append(notice.Body).Append("\n案件：").Append(link(notice)).Append("\n通知编号：").Append(notice.Id).Append('\n');
}
