using Handoff.Api.Endpoints;
using Handoff.Core.Cases;
using Handoff.Core.Workflow;
using Handoff.Pages.Infrastructure;
using Handoff.Storage.Cases;
using Handoff.Workflow;

namespace Handoff.Pages.Handlers;

/// <summary>
/// A page form's command goes the API's way without going through HTTP: its fields are mapped by the API's own
/// <see cref="CommandRequests"/> and the command sent through the same <see cref="CommandService"/>, with the form's idempotency key
/// (minted when the page was drawn) — so a form is validated, authorised, decided and de-duplicated exactly as the API request would
/// be, and a double-click records one step.
/// </summary>
internal static class PageCommands
{
    /// <summary>What a form's command came to, as a page shows it.</summary>
    public sealed record Outcome(bool Succeeded, bool Pending, string? Code, string? Field, string? Detail, CaseRecord? Record)
    {
        public static Outcome Refused(Rejection rejection) => new(false, false, rejection.Code, rejection.Field, rejection.Detail, null);
    }

    public static async Task<Outcome> SendAsync(PageRequest p, string caseId, CaseCommand command, object request, string? idempotencyKey) =>
        From(await p.Get<CommandService>().SendAsync(Request(p, caseId, command, CommandRequests.Fingerprint(request), idempotencyKey), p.Aborted));

    public static async Task<Outcome> RegisterAsync(PageRequest p, OpenCase command, string fingerprint, string? idempotencyKey) =>
        From(await p.Get<CommandService>().RegisterAsync(Request(p, command.CaseId, command, fingerprint, idempotencyKey), p.Aborted));

    /// <summary>A form's key, if it is one the command path takes (the pages mint them; a forged one is ignored, not refused).</summary>
    public static string? Key(string? idempotencyKey) => idempotencyKey is { Length: > 0 and <= CommandService.MaxKeyLength } ? idempotencyKey : null;

    /// <summary>A local path to return to after a form (never another site).</summary>
    public static string LocalReturn(string? returnTo, string fallback) =>
        returnTo is { Length: > 1 } r && r[0] == '/' && r[1] != '/' && r[1] != '\\' && !r.Contains("://", StringComparison.Ordinal) ? r : fallback;

    /// <summary>The return path with a one-line outcome code (<c>msg</c> or <c>err</c>) added.</summary>
    public static string WithOutcome(string path, string key, string code)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{path}{separator}{key}={Uri.EscapeDataString(code)}";
    }

    /// <summary>
    /// The return path with a refusal: its code, the case and action whose form it was (so the page shows it beside that form) and the
    /// field at fault.
    /// </summary>
    public static string WithError(string path, string code, string caseId, string action, string? field)
    {
        var withCode = WithOutcome(path, "err", code);
        var withCase = WithOutcome(WithOutcome(withCode, "case", caseId), "action", action);
        return field is null ? withCase : WithOutcome(withCase, "field", field);
    }

    private static CommandRequest Request(PageRequest p, string caseId, CaseCommand command, string fingerprint, string? idempotencyKey) =>
        new(p.Client, p.By.Organisation, caseId, command, Key(idempotencyKey), fingerprint, p.ReceivedAt);

    private static Outcome From(CommandOutcome outcome) => outcome switch
    {
        CommandOutcome.Applied applied => new Outcome(true, false, null, null, null, applied.Record),
        CommandOutcome.Pending => new Outcome(true, true, null, null, null, null),
        CommandOutcome.Refused refused => Outcome.Refused(refused.Rejection),
        _ => new Outcome(false, false, "not-found", null, null, null),
    };
}
