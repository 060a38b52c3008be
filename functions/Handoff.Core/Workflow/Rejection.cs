namespace Handoff.Core.Workflow;

/// <summary>An expected refusal: a value, not an exception.</summary>
/// <param name="Code">Stable machine-readable code, e.g. <c>report-before-release</c>.</param>
/// <param name="Field">The request field at fault (camelCase JSON path), if one is.</param>
/// <param name="Detail">What rule was broken, in English.</param>
public sealed record Rejection(RejectionKind Kind, string Code, string? Field, string Detail)
{
    public static Rejection Invalid(string field, string code, string detail) => new(RejectionKind.Invalid, code, field, detail);

    public static Rejection Forbidden(string detail) => new(RejectionKind.Forbidden, "forbidden", null, detail);

    public static Rejection Conflict(string code, string detail, string? field = null) => new(RejectionKind.Conflict, code, field, detail);

    /// <summary>The refusal of a command that can never be applied (<see cref="RejectionKind.Internal"/>).</summary>
    public static Rejection Internal(string detail) => new(RejectionKind.Internal, InternalErrorCode, null, detail);

    public const string InternalErrorCode = "internal-error";
}
