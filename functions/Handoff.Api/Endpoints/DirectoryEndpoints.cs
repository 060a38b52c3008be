using Handoff.Core.Organisations;
using Handoff.Storage.Notices;
using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>The directory and the caller's inbox.</summary>
public static class DirectoryEndpoints
{
    public sealed record OrganisationView(string Id, OrganisationKind Kind, string Region, string Name, IReadOnlyList<OrganisationKind>? Oversees, string? Webhook);

    public static Task<IResult> OrganisationsAsync(HandoffRequest r)
    {
        var caller = r.By.Organisation;
        IResult result = TypedResults.Ok(r.Get<OrganisationDirectory>().All
            .OrderBy(o => o.Region.Value, StringComparer.Ordinal).ThenBy(o => o.Id, StringComparer.Ordinal)
            .Select(o => new OrganisationView(o.Id, o.Kind, o.Region.Value, o.Name, o.Oversees, o.Id == caller.Id ? o.Webhook?.ToString() : null))
            .ToList());
        return Task.FromResult(result);
    }

    public static async Task<IResult> NoticesAsync(HandoffRequest r)
    {
        var take = 50;
        if (r.Query("take") is { Length: > 0 } text
            && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take is < 1 or > 500))
        {
            return Problems.Invalid("take", "out-of-range", "must be a whole number 1–500");
        }

        return TypedResults.Ok(await r.Get<InboxStore>().ListAsync(r.By.Organisation.Id, take, r.Aborted));
    }
}
