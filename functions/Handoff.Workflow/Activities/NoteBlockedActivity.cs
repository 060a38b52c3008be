using Handoff.Storage.Index;
using Handoff.Storage.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Handoff.Workflow;

/// <summary>
/// Lists a blocked case for the operator (the index's <c>blocked</c> partition, read by <c>/healthz</c>; log event 1036, the alert's
/// match) or unlists it once it applies again (1037). Called by the orchestration, best effort: when storage itself is what fails, the
/// orchestration's custom status and the log still say so.
/// </summary>
public sealed class NoteBlockedActivity(CaseIndexStore index, ILogger<NoteBlockedActivity> logger, HandoffTelemetry? telemetry = null)
{
    public const string Name = NoteBlockedRequest.ActivityName;

    public async Task RunAsync(NoteBlockedRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Blocked is { } blocked)
        {
            Log.Blocked(logger, request.CaseId, blocked.Failures, blocked.Since, blocked.NextTryAt, blocked.Error);
            telemetry?.Blocked();
            await index.SetBlockedAsync(new BlockedCase(request.CaseId, blocked.Since, blocked.Failures, blocked.Error, blocked.NextTryAt), cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            Log.Unblocked(logger, request.CaseId);
            await index.ClearBlockedAsync(request.CaseId, cancellationToken).ConfigureAwait(false);
        }
    }
}
