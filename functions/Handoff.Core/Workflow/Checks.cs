using Handoff.Core.Cases;
using Handoff.Core.Time;

namespace Handoff.Core.Workflow;

/// <summary>
/// The checks that recur across commands, each written once: who may take the step, in which states, an instant that is neither in
/// the future nor before what it follows, and free text. Each returns the refusal, or null when the rule holds.
/// </summary>
internal static class Checks
{
    /// <summary>Only <paramref name="organisationId"/> may take the step; <paramref name="rule"/> says who may, in English.</summary>
    public static Rejection? Party(Actor by, string? organisationId, string rule) =>
        organisationId is not null && by.OrganisationId == organisationId ? null : Rejection.Forbidden(rule);

    /// <summary>The step is taken in one of <paramref name="states"/>; otherwise a conflict with <paramref name="code"/>.</summary>
    public static Rejection? InState(Case c, string code, string detail, params CaseState[] states) =>
        states.Contains(c.State) ? null : Rejection.Conflict(code, detail);

    /// <summary>
    /// An instant reported for a step (<paramref name="field"/>): not in the future beyond the clock-skew allowance, and not before
    /// <paramref name="notBefore"/> (the step it follows, named by <paramref name="what"/>: <c>before-{what}</c>).
    /// </summary>
    public static Rejection? When(DecisionBuilder b, string field, DateTimeOffset at, DateTimeOffset? notBefore = null, string what = "")
    {
        if (at > b.Now + b.Context.Policy.ClockSkewAllowance)
        {
            return Rejection.Invalid(field, "in-the-future", "must not be in the future");
        }

        return notBefore is { } bound && at < bound
            ? Rejection.Invalid(field, $"before-{what}", $"must not be before the {what.Replace('-', ' ')} ({bound.ToOffset(ChinaTime.Offset):yyyy-MM-dd HH:mm})")
            : null;
    }

    /// <summary>A reason: required or not, one paragraph of printable text within the length the core allows.</summary>
    public static Rejection? Reason(string field, string? text, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(text))
        {
            return Rejection.Invalid(field, "required", "is required: say why");
        }

        return Text.TextRules.Reason(text) is { } rule ? Rejection.Invalid(field, "invalid-text", rule) : null;
    }

    /// <summary>The first refusal of several checks, in order.</summary>
    public static Rejection? First(params Rejection?[] checks) => checks.FirstOrDefault(r => r is not null);
}
