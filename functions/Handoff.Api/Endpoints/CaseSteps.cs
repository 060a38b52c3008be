using Handoff.Core.Cases;
using Handoff.Core.Workflow;
using Microsoft.AspNetCore.Http;

namespace Handoff.Api.Endpoints;

/// <summary>
/// A step on a case as an HTTP operation, built once from its route, its body type and the one function that maps the body to the
/// core's command (<see cref="ReleaseSteps"/>, <see cref="ChainSteps"/>). The same mapping serves the pages, by the route's last
/// segment (<see cref="Command"/>), so a form sends exactly what the API would.
/// </summary>
public static class CaseSteps
{
    /// <summary>Each step's mapping from its body to its command, by the route's last segment (<c>release</c>, <c>intake</c>).</summary>
    private static readonly Dictionary<string, Func<object?, Actor, DateTimeOffset, (CaseCommand? Command, Rejection? Problem)>> Maps = new(StringComparer.Ordinal);

    /// <summary>
    /// The command a step's body makes, exactly as the API makes it (a page builds the body from its form): null with the problem when
    /// the body cannot make one. Null for a step that does not exist.
    /// </summary>
    public static (CaseCommand? Command, Rejection? Problem)? Command(string step, object? body, Actor by, DateTimeOffset receivedAt)
    {
        _ = HandoffRoutes.All; // every step table initialised, whichever is touched first
        return Maps.TryGetValue(step, out var map) ? map(body, by, receivedAt) : null;
    }

    /// <summary>
    /// A step with a JSON body <typeparamref name="TBody"/>: the body read (or left out when every field is optional, then fingerprinted
    /// as <paramref name="absent"/>), mapped by <paramref name="map"/> given the caller and the instant the request was received, and
    /// sent down the command path.
    /// </summary>
    internal static HandoffRoute Step<TBody>(string name, string route, string summary, bool bodyOptional,
        Func<TBody?, Actor, DateTimeOffset, (CaseCommand? Command, Rejection? Problem)> map, TBody? absent = null)
        where TBody : class
    {
        Maps[LastSegment(route)] = (body, by, at) => map((TBody?)body, by, at);
        return HandoffRoutes.CaseStep(name, route, summary, async r =>
        {
            var (body, unreadable) = await HandoffHttp.ReadBodyAsync<TBody>(r);
            if (unreadable is not null)
            {
                return unreadable;
            }

            if (body is null && !bodyOptional)
            {
                return Problems.Invalid("body", "body-required", "must be a JSON object");
            }

            var (command, problem) = map(body, r.By.Actor, HandoffHttp.ReceivedAt(r));
            return problem is not null
                ? Problems.From(problem)
                : await r.Get<CaseCommands>().RunAsync(r, r.Id, command!, (object?)body ?? (object?)absent ?? new { });
        }, typeof(TBody), bodyOptional);
    }

    /// <summary>A step that takes no body.</summary>
    internal static HandoffRoute Step(string name, string route, string summary, Func<Actor, DateTimeOffset, CaseCommand> map)
    {
        Maps[LastSegment(route)] = (_, by, at) => (map(by, at), null);
        return HandoffRoutes.CaseStep(name, route, summary, r => r.Get<CaseCommands>().RunAsync(r, r.Id, map(r.By.Actor, HandoffHttp.ReceivedAt(r)), new { }),
            null, bodyOptional: true);
    }

    /// <summary>
    /// A request that opens a person's file (a decision, a 社区戒毒 order): its body read and checked field by field by
    /// <paramref name="check"/> — given the body, the caller, the <c>Idempotency-Key</c>, the instant received, the region list and the
    /// identity-number protector — answered with the first problem, else registered down the command path.
    /// </summary>
    internal static async Task<IResult> OpenAsync<TBody>(
        HandoffRequest r,
        Func<TBody?, Auth.Caller, string?, DateTimeOffset, Core.Regions.RegionCatalog, Storage.Protection.IdNumberProtector, (OpenCase? Command, string Fingerprint, IReadOnlyList<Rejection> Problems)> check)
        where TBody : class
    {
        var (body, unreadable) = await HandoffHttp.ReadBodyAsync<TBody>(r);
        if (unreadable is not null)
        {
            return unreadable;
        }

        var (command, fingerprint, problems) = check(
            body, r.By, r.Header(CaseCommands.IdempotencyHeader), HandoffHttp.ReceivedAt(r), r.Get<Core.Regions.RegionCatalog>(), r.Get<Storage.Protection.IdNumberProtector>());
        return problems is [var first, ..] ? Problems.From(first) : await r.Get<CaseCommands>().RegisterAsync(r, command!, fingerprint);
    }

    private static string LastSegment(string route) => route[(route.LastIndexOf('/') + 1)..];
}
