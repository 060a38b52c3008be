using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Functions.Auth;
using Handoff.Storage.Cases;
using Handoff.Storage.Runtime;

namespace Handoff.Functions.Api;

/// <summary>What every case endpoint does after it has built its command: run it, then answer with the case or a problem.</summary>
public sealed class CaseCommands(CaseCommandRunner runner, CaseStore store, OrganisationDirectory directory)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public Caller Caller(HttpContext context) => Auth.Caller.From(context.User, directory);

    public OrganisationDirectory Directory => directory;

    /// <summary>Runs a command on an existing case the caller can see (404 otherwise), answering 200 with the case.</summary>
    /// <param name="request">The body as sent (before defaults are filled in): what an Idempotency-Key is checked against.</param>
    public async Task<IResult> RunAsync(
        string caseId, Caller caller, CaseCommand command, object request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (!CaseIds.IsCaseId(caseId))
        {
            return Problems.NotFound("case");
        }

        if (idempotencyKey is { Length: > 200 })
        {
            return Problems.Invalid(IdempotencyHeader, "idempotency-key-too-long", "must be at most 200 characters");
        }

        var outcome = await runner.ExecuteAsync(caseId, command, idempotencyKey, Fingerprint(request), caller.Organisation, cancellationToken);
        if (outcome.Rejection is not null)
        {
            return Problems.From(outcome.Rejection);
        }

        return TypedResults.Ok(await ViewAsync(outcome.Case!, cancellationToken));
    }

    public async Task<CaseView> ViewAsync(Case c, CancellationToken cancellationToken) =>
        CaseView.From(c, await store.HistoryAsync(c.CaseId, cancellationToken));

    public static string Fingerprint(object request) => JsonSerializer.Serialize(request, request.GetType(), CoreJson.Options);
}
