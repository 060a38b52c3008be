using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>A page of a list and the token for the next one (absent on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary><c>take</c> (1–200, default 50) and <c>continuationToken</c> (from the previous page), read the same way on every list.</summary>
public static class Paging
{
    public const int DefaultTake = 50;
    public const int MaxTake = 200;

    public static bool TryRead(HandoffRequest r, out int take, out string? continuation, out IResult? problem)
    {
        take = DefaultTake;
        continuation = r.Query("continuationToken") is { Length: > 0 } token ? token : null;
        problem = null;
        if (r.Query("take") is { Length: > 0 } text && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxTake))
        {
            problem = Problems.Invalid("take", "out-of-range", $"must be a whole number 1–{MaxTake}");
            return false;
        }

        if (continuation is not null && (continuation.Length > 2000 || !Handoff.Storage.Index.CaseIndexStore.IsWellFormedToken(continuation)))
        {
            problem = Problems.Invalid("continuationToken", "invalid-token", "must be a token returned by the previous page");
            return false;
        }

        return true;
    }
}
