using Microsoft.DurableTask;

namespace Handoff.Workflow;

/// <summary>The orchestration's one pending durable timer: its instant, its task, and the means to cancel it.</summary>
internal sealed class ArmedTimer
{
    private readonly CancellationTokenSource _cancel = new();

    public ArmedTimer(TaskOrchestrationContext context, DateTime fireAt)
    {
        FireAt = fireAt;
        Task = context.CreateTimer(fireAt, _cancel.Token);
    }

    public DateTime FireAt { get; }

    public Task Task { get; }

    /// <summary>No longer waited for. The engine still delivers the timer later; the orchestration ignores it.</summary>
    public void Cancel()
    {
        _cancel.Cancel();
        _cancel.Dispose();
    }
}
