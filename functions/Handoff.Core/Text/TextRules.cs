using System.Globalization;
using System.Text;

namespace Handoff.Core.Text;

/// <summary>
/// Free text that reaches a notice, a page, a log or a queue message: bounded, and cleaned of what could forge a line or hide a value.
/// A name and a reason are one line (no control characters at all); a note may hold line breaks but no other control characters; none may be
/// blank once invisible characters (zero-width spaces, joiners, BOM, bidi marks) are removed.
/// </summary>
public static class TextRules
{
    /// <summary>Longest person or collector name, in characters.</summary>
    public const int MaxNameLength = 50;

    /// <summary>Longest reason or note, in characters.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>The rule a name breaks, or null when it is acceptable.</summary>
    public static string? Name(string? text)
    {
        if (text is null || Visible(text).Length == 0)
        {
            return "is required and must not be blank";
        }

        if (text.Trim().Length > MaxNameLength)
        {
            return $"must be at most {MaxNameLength} characters";
        }

        return text.Any(char.IsControl) ? "must be one line without control characters" : null;
    }

    /// <summary>
    /// The rule an optional reason breaks, or null when it is acceptable (null is). A reason is quoted inside a notice's sentence, so
    /// it is one line: a line break would let it forge a line of the notice (e.g. a fake "督办级别：已解除").
    /// </summary>
    public static string? Reason(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Trim().Length > MaxNoteLength)
        {
            return $"must be at most {MaxNoteLength} characters";
        }

        if (text.Any(char.IsControl))
        {
            return "must be one line without control characters";
        }

        return text.Length > 0 && Visible(text).Length == 0 ? "must not be blank" : null;
    }

    /// <summary>The rule an optional note breaks, or null when it is acceptable (null is).</summary>
    public static string? Note(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Trim().Length > MaxNoteLength)
        {
            return $"must be at most {MaxNoteLength} characters";
        }

        if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\r'))
        {
            return "must not contain control characters other than line breaks";
        }

        return text.Length > 0 && Visible(text).Length == 0 ? "must not be blank" : null;
    }

    /// <summary>A name as stored: trimmed, invisible characters removed.</summary>
    public static string Clean(string text) => Visible(text).Trim();

    /// <summary>A note as stored: trimmed, line breaks normalised to \n, invisible characters removed; null when empty.</summary>
    public static string? CleanNote(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : Visible(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')).Trim();

    private static string Visible(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                b.Append(c);
            }
        }

        return b.ToString().Trim();
    }
}
