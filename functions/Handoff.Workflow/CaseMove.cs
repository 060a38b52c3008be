using Handoff.Storage.Index;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Handoff.Workflow;

/// <summary>
/// Moves every open case into the task hub <c>target</c> is a client of (issue 23: a new partition count, a new environment): each open
/// case whose orchestration is not running there is started from our own tables — the case row and the commands waiting in its inbox
/// — as the reconciler restores one (<see cref="CaseReconciler.CheckNowAsync"/>). Nothing of the old hub is read: our tables are the
/// record, the engine's hub only runs it. Resumable: a case already running in the target is skipped, so after a crash the command is
/// run again. A dry run only counts.
/// <para>Commands are never lost meanwhile: a command is written to its case's inbox before any hub is signalled, and once the hosts
/// use the target hub a command for a case not moved yet restarts it there itself (the command path's restore); the move then finds it
/// running. docs/operations.md has the procedure (switch the hosts, move, check, retire the old hub).</para>
/// </summary>
public sealed partial class CaseMove(CaseIndexStore index, CaseReconciler reconciler, ILogger<CaseMove> logger)
{
    /// <summary>Progress is reported every this many open cases.</summary>
    public const int ProgressEvery = 100;

    public async Task<MoveReport> RunAsync(DurableTaskClient target, bool dryRun, Action<MoveReport>? progress = null, CancellationToken cancellationToken = default)
    {
        var live = await CaseReconciler.LiveInstanceIdsAsync(target, cancellationToken).ConfigureAwait(false);
        var report = new MoveReport { DryRun = dryRun };
        await foreach (var caseId in index.OpenCaseIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            report.Open++;
            if (live.Contains(caseId))
            {
                report.AlreadyThere++;
            }
            else if (dryRun)
            {
                report.ToStart++;
            }
            else
            {
                try
                {
                    await reconciler.CheckNowAsync(target, caseId, cancellationToken).ConfigureAwait(false);
                    report.Started++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Counted and logged; the next run of the move (or the reconciler's full pass) takes it up again.
                    report.Failed++;
                    Failed(logger, ex, caseId);
                }
            }

            if (report.Open % ProgressEvery == 0)
            {
                progress?.Invoke(report);
            }
        }

        progress?.Invoke(report);
        Moved(logger, dryRun ? "dry run" : "move", report.Open, report.AlreadyThere, dryRun ? report.ToStart : report.Started, report.Failed);
        return report;
    }

    /// <summary>
    /// Whether every open case runs in the target hub now: what the operator checks before retiring the old hub. Returns the open cases
    /// that do not.
    /// </summary>
    public async Task<IReadOnlyList<string>> NotThereAsync(DurableTaskClient target, CancellationToken cancellationToken = default)
    {
        var live = await CaseReconciler.LiveInstanceIdsAsync(target, cancellationToken).ConfigureAwait(false);
        var missing = new List<string>();
        await foreach (var caseId in index.OpenCaseIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!live.Contains(caseId))
            {
                missing.Add(caseId);
            }
        }

        return missing;
    }

    [LoggerMessage(1060, LogLevel.Information, "Case move ({Mode}): {Open} open cases, {AlreadyThere} running in the target hub already, {Started} started there, {Failed} failed")]
    private static partial void Moved(ILogger logger, string mode, int open, int alreadyThere, int started, int failed);

    [LoggerMessage(1061, LogLevel.Warning, "Case move: case {CaseId} could not be started in the target hub; run the move again")]
    private static partial void Failed(ILogger logger, Exception exception, string caseId);
}

/// <summary>What a move found and did: open cases, those already running in the target, those started (or, dry, to start), failures.</summary>
public sealed class MoveReport
{
    public bool DryRun { get; init; }

    public int Open { get; set; }

    public int AlreadyThere { get; set; }

    public int Started { get; set; }

    public int ToStart { get; set; }

    public int Failed { get; set; }

    public override string ToString() => DryRun
        ? $"{Open} open cases: {AlreadyThere} running in the target hub, {ToStart} to start"
        : $"{Open} open cases: {AlreadyThere} running in the target hub already, {Started} started, {Failed} failed";
}
