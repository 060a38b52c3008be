using Handoff.Core.Cases;
using Handoff.Storage.Cases;

namespace Handoff.Workflow;

/// <summary>
/// The activity of orchestration schemas 1 and 2, which carried each step in its event: the step is written into the case's inbox (as
/// received, unless the API wrote it there already) and the inbox applied as schema 3 applies it. Kept while instances of those
/// schemas run; their next generation runs schema 3.
/// </summary>
public sealed class ApplyStepActivity(CaseStore store, ApplyPendingActivity pending)
{
    public const string Name = ApplyStepRequest.ActivityName;

    public async Task<CaseProgress> RunAsync(ApplyStepRequest request, CancellationToken cancellationToken = default)
    {
        var (caseId, step) = (request.CaseId, request.Step);
        if (step.Command is Tick)
        {
            return (await pending.RunAsync(new ApplyPendingRequest(caseId, step), cancellationToken).ConfigureAwait(false)) with { Applied = null };
        }

        await store.AcceptAsync(caseId, CommandRecord.Accepted(step.CommandId, step.Command, step.ReceivedAt, step.RequestHash, step.ReservationKey), cancellationToken)
            .ConfigureAwait(false);
        return (await pending.RunAsync(new ApplyPendingRequest(caseId, null), cancellationToken).ConfigureAwait(false)) with { Applied = null };
    }
}
