using Handoff.Core.Organisations;
using Handoff.Storage.Notices;

namespace Handoff.Functions.Api;

/// <summary>The directory and the caller's inbox.</summary>
public static class DirectoryApi
{
    public sealed record OrganisationView(string Id, OrganisationKind Kind, string Region, string Name, IReadOnlyList<OrganisationKind>? Oversees, string? Webhook);

    public static IEndpointRouteBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Directory");
        api.MapGet("/organisations", (CaseCommands commands, HttpContext http) =>
        {
            var caller = commands.Caller(http);
            return TypedResults.Ok(commands.Directory.All
                .OrderBy(o => o.Region.Value, StringComparer.Ordinal).ThenBy(o => o.Id, StringComparer.Ordinal)
                .Select(o => new OrganisationView(o.Id, o.Kind, o.Region.Value, o.Name, o.Oversees,
                    o.Id == caller.Organisation.Id ? o.Webhook?.ToString() : null))
                .ToList());
        }).WithName("ListOrganisations").WithSummary("The directory; webhook addresses only of the caller's own organisation.");

        api.MapGet("/notices", async (CaseCommands commands, InboxStore inbox, HttpContext http, int? take, CancellationToken cancellationToken) =>
        {
            var caller = commands.Caller(http);
            if (take is < 1 or > 500)
            {
                return Problems.Invalid("take", "out-of-range", "must be 1–500");
            }

            return TypedResults.Ok(await inbox.ListAsync(caller.Organisation.Id, take ?? 50, cancellationToken));
        }).WithName("ListNotices").WithSummary("The caller's inbox, newest first.");
        return app;
    }
}
