using Microsoft.DurableTask;

namespace Handoff.Workflow;

/// <summary>
/// The orchestration's one open wait for a signal (<see cref="CaseOrchestration.StepEvent"/>). A wait the engine's SDK has open takes the
/// next event raised, even one raised in the episode that ends the generation — so the wait is cancellable, and given up before
/// <c>ContinueAsNew</c>, which then forwards that event to the next generation instead.
/// </summary>
internal sealed class SignalWait(TaskOrchestrationContext context)
{
    private CancellationTokenSource? _cancel;
    private Task<CaseStep>? _next;

    /// <summary>The open wait, opened if none is.</summary>
    public Task<CaseStep> Next
    {
        get
        {
            if (_next is null)
            {
                _cancel = new CancellationTokenSource();
                _next = context.WaitForExternalEvent<CaseStep>(CaseOrchestration.StepEvent, _cancel.Token);
            }

            return _next;
        }
    }

    /// <summary>A signal is in hand (the open wait completed).</summary>
    public bool Arrived => _next is { IsCompletedSuccessfully: true };

    /// <summary>The signal in hand is dealt with: the next one needs a new wait.</summary>
    public void Taken()
    {
        _next = null;
        _cancel?.Dispose();
        _cancel = null;
    }

    /// <summary>
    /// <paramref name="first"/> and every signal already buffered behind it (a wait on a buffered event completes at once); leaves one
    /// wait open for the next signal.
    /// </summary>
    public List<CaseStep> TakeAll(CaseStep first)
    {
        var all = new List<CaseStep> { first };
        Taken();
        while (Next.IsCompletedSuccessfully)
        {
            all.Add(Next.Result);
            Taken();
        }

        return all;
    }

    /// <summary>Gives up the open wait, so that an event raised from now on is not taken by it.</summary>
    public void GiveUp()
    {
        if (_next is { IsCompleted: false })
        {
            _cancel?.Cancel();
        }

        Taken();
    }
}
