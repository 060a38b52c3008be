using System.Globalization;

namespace Handoff.Core.People;

/// <summary>
/// An 18-character citizen identity number (公民身份号码, GB 11643-1999): a 6-digit region code, an 8-digit birth date,
/// a 3-digit sequence and an ISO 7064 MOD 11-2 check character (0–9 or X).
/// </summary>
/// <remarks>
/// 戒毒条例 7② requires a person's rehabilitation information to be kept confidential: the clear value must never be logged,
/// queued or put in a notice. Use <see cref="Masked"/> for display; storage encrypts the clear value.
/// </remarks>
public sealed class ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private ResidentIdNumber(string value) => Value = value;

    /// <summary>The normalised clear value (upper-case X). Confidential.</summary>
    public string Value { get; }

    /// <summary>The display form: first four and last four characters, e.g. <c>4414**********123X</c>.</summary>
    public string Masked => Mask(Value);

    /// <summary>Masks any identity-number-like text: keeps the first four and last four characters.</summary>
    public static string Mask(string value) =>
        value.Length <= 8 ? new string('*', value.Length) : value[..4] + new string('*', value.Length - 8) + value[^4..];

    /// <summary>The check character GB 11643 assigns to the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Validates and normalises a number. On failure <paramref name="error"/> names the rule that failed.</summary>
    public static bool TryParse(string? text, out ResidentIdNumber? number, out string? error) => TryParse(text, null, out number, out error);

    /// <summary>
    /// Validates and normalises a number whose holder must be born by <paramref name="today"/> (the date in Asia/Shanghai, when known).
    /// On failure <paramref name="error"/> names the rule that failed.
    /// </summary>
    public static bool TryParse(string? text, DateOnly? today, out ResidentIdNumber? number, out string? error)
    {
        number = null;
        var value = text?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != 18)
        {
            error = "must be 18 characters (GB 11643)";
            return false;
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                error = "the first 17 characters must be digits (GB 11643)";
                return false;
            }
        }

        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X')
        {
            error = "the last character must be a digit or X (GB 11643)";
            return false;
        }

        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900)
        {
            error = "characters 7–14 must be a valid birth date yyyyMMdd (GB 11643)";
            return false;
        }

        if (birth > today)
        {
            error = "characters 7–14 are a birth date after today (GB 11643)";
            return false;
        }

        if (CheckCharacter(value.AsSpan(0, 17)) != value[17])
        {
            error = "the check character does not match (GB 11643 MOD 11-2)";
            return false;
        }

        error = null;
        number = new ResidentIdNumber(value);
        return true;
    }

    /// <summary>The 2-digit province prefix of the address code (the county that issued the number, which stays valid after renames).</summary>
    public string ProvincePrefix => Value[..2];

    /// <summary>Never the clear value: the masked form, so that a stray log line cannot leak it.</summary>
    public override string ToString() => Masked;
}
