using Azure.Data.Tables;
using Handoff.Storage.Infrastructure;
using Microsoft.DurableTask;

namespace Handoff.Benchmarks.Hosting;

/// <summary>
/// The engine's floor: the least an orchestration can do for the same shape as a case, written for the benchmark against the same
/// SDK (Microsoft.DurableTask through DurableTask.Core's shims, as the self-host runs the case orchestration).
/// <list type="bullet">
/// <item><see cref="One"/>: one external event → one activity that does one table write.</item>
/// <item><see cref="Handoff"/>: a handoff's shape — start → activity; then per step: wait for the event beside a cancellable timer,
/// → activity; the activity reads one row and commits one entity-group transaction (state row + one history row), the least a
/// step of ours must write.</item>
/// <item><see cref="Timer"/>: one timer → one activity (one write) that reports when the timer fired.</item>
/// <item><see cref="Parked"/>: start → activity, event (with a timer beside it) → activity, then a long timer: a parked case.</item>
/// </list>
/// </summary>
public static class FloorOrchestrations
{
    public const string One = "FloorOne";
    public const string Handoff = "FloorHandoff";
    public const string Timer = "FloorTimer";
    public const string Parked = "FloorParked";
    public const string Write = "FloorWrite";
    public const string StepEvent = "step";
    public const string Table = "FloorCases";

    public static async Task<string> OneAsync(TaskOrchestrationContext context, FloorInput input)
    {
        await context.WaitForExternalEvent<int>(StepEvent);
        await context.CallActivityAsync<string>(Write, new FloorStep(context.InstanceId, 1, Read: false, null));
        return "done";
    }

    public static async Task<string> HandoffAsync(TaskOrchestrationContext context, FloorInput input)
    {
        await context.CallActivityAsync<string>(Write, new FloorStep(context.InstanceId, 0, Read: true, null));
        for (var step = 1; step <= input.Steps; step++)
        {
            await StepOrTimerAsync(context, TimeSpan.FromDays(1));
            await context.CallActivityAsync<string>(Write, new FloorStep(context.InstanceId, step, Read: true, null));
        }

        return "done";
    }

    public static async Task<string> TimerAsync(TaskOrchestrationContext context, FloorInput input)
    {
        await context.CreateTimer(input.FireAt!.Value, CancellationToken.None);
        await context.CallActivityAsync<string>(Write, new FloorStep(context.InstanceId, 1, Read: false, context.CurrentUtcDateTime));
        return "done";
    }

    public static async Task<string> ParkedAsync(TaskOrchestrationContext context, FloorInput input)
    {
        await context.CallActivityAsync<string>(Write, new FloorStep(context.InstanceId, 0, Read: true, null));
        await StepOrTimerAsync(context, TimeSpan.FromDays(1));
        await context.CallActivityAsync<string>(Write, new FloorStep(context.InstanceId, 1, Read: true, null));
        await context.CreateTimer(context.CurrentUtcDateTime + input.Park!.Value, CancellationToken.None);
        await context.CallActivityAsync<string>(Write, new FloorStep(context.InstanceId, 2, Read: true, null));
        return "done";
    }

    /// <summary>As the case orchestration waits: the next step, or a timer at the next due instant, cancelled when the step comes.</summary>
    private static async Task StepOrTimerAsync(TaskOrchestrationContext context, TimeSpan due)
    {
        using var cancel = new CancellationTokenSource();
        var step = context.WaitForExternalEvent<int>(StepEvent);
        var timer = context.CreateTimer(context.CurrentUtcDateTime + due, cancel.Token);
        if (await Task.WhenAny(step, timer) == step)
        {
            cancel.Cancel();
        }
    }

    /// <summary>The floor's activity: one upsert, or one read and one two-row transaction; then it tells the benchmark.</summary>
    public static async Task<string> WriteAsync(StorageClients clients, FloorSignals signals, FloorStep step)
    {
        var table = clients.Table(Table);
        if (step.Read)
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {step.Id} and RowKey eq {"state"}")))
            {
            }

            await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(step.Id, "state") { ["Step"] = step.Step }),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(step.Id, $"h{step.Step:D6}") { ["Event"] = "step" }),
            ]);
        }
        else
        {
            await table.UpsertEntityAsync(new TableEntity(step.Id, $"s{step.Step}") { ["Step"] = step.Step });
        }

        signals.Complete(step.Id, step.Step, step.ObservedAt);
        return "ok";
    }
}

/// <param name="Steps">Handoff: how many event-driven steps follow the first.</param>
/// <param name="FireAt">Timer: when it fires (UTC).</param>
/// <param name="Park">Parked: how long the last timer waits.</param>
public sealed record FloorInput(int Steps = 0, DateTime? FireAt = null, TimeSpan? Park = null);

public sealed record FloorStep(string Id, int Step, bool Read, DateTime? ObservedAt);
