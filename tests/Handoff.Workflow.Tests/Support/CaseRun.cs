using Handoff.Core.Cases;
using Handoff.Core.Time;
using Handoff.Storage.Cases;
using Handoff.Testing;
using Microsoft.DurableTask.Client;

namespace Handoff.Workflow.Tests.Support;

/// <summary>
/// One case driven through the engine as the API drives it: registered through <see cref="CaseInstances"/> (reservation, input with
/// the clock and the grace), each command raised as the <c>step</c> event stamped with the workflow instant it was "received", and
/// what a user would see read back from our tables. The workflow clock starts at <see cref="Start"/> (a Monday) and runs
/// <c>speed</c> times real time — the mapping production's development clock uses — so legal days pass in fractions of a second.
/// </summary>
public sealed class CaseRun
{
    public static readonly DateTimeOffset Start = TestData.Beijing(2026, 3, 2, 8);

    private readonly Stores _stores;
    private readonly DurableTaskClient _client;
    private readonly CaseInstances _instances;
    private int _commands;

    public CaseRun(Stores stores, DurableTaskClient client, double speed, TimeSpan grace)
    {
        _stores = stores;
        _client = client;
        Time = new WorkflowTime(new WorkflowClock(TimeProvider.System.GetUtcNow(), Start, speed), grace);
        _instances = new CaseInstances(Time, stores.Persons, stores.Store);
    }

    public WorkflowTime Time { get; }

    public WorkflowClock Clock => Time.Clock;

    public string CaseId { get; private set; } = "";

    public RegisterRelease? Registration { get; private set; }

    /// <summary>Registers a release by 梅州市强制隔离戒毒所 to 平远县大柘镇 and waits until its first step is applied.</summary>
    public async Task<Case> RegisterAsync(DateOnly releaseDate, int rehabilitationYears = 3)
    {
        Registration = _stores.Register(TestData.UniqueIdNumber(), releaseDate, rehabilitationYears);
        CaseId = Registration.CaseId;
        Assert.True(await _instances.RegisterAsync(_client, Registration, "register", null, Time.GetUtcNow()), "the person is already reserved");
        return await AppliedAsync("register");
    }

    /// <summary>Raises a command received now (or at <paramref name="receivedAt"/>) and waits until it is applied and published.</summary>
    public async Task<Case> SendAsync(CaseCommand command, DateTimeOffset? receivedAt = null)
    {
        var commandId = $"{command.GetType().Name}-{++_commands}";
        await RaiseAsync(new CaseStep(commandId, command, receivedAt ?? Time.GetUtcNow()));
        return await AppliedAsync(commandId);
    }

    public Task RaiseAsync(CaseStep step) => CaseInstances.RaiseAsync(_client, CaseId, step);

    /// <summary>Waits until the step is applied and its effects published, as the API does before it answers; fails on a refusal.</summary>
    public async Task<Case> AppliedAsync(string commandId)
    {
        var (record, command) = await Eventually.HoldsAsync(
            () => _stores.Store.LoadAsync(CaseId, commandId), r => r.Command is { Published: true }, $"step {commandId} of {CaseId} applied");
        Assert.True(command!.Rejection is null, $"step {commandId} was refused: {command.Rejection}");
        return record!.State;
    }

    /// <summary>The case as last applied.</summary>
    public async Task<Case> CaseAsync() => (await _stores.Store.LoadAsync(CaseId)).Record?.State
        ?? throw new InvalidOperationException($"No case {CaseId}.");

    /// <summary>Waits until the case, as users read it, satisfies <paramref name="condition"/>.</summary>
    public Task<Case> UntilAsync(Func<Case, bool> condition, string what) =>
        Eventually.HoldsAsync(CaseAsync, condition, $"{what} ({CaseId})");

    public Task<OrchestrationMetadata?> InstanceAsync() => _client.GetInstanceAsync(CaseId, getInputsAndOutputs: true);

    /// <summary>Waits for the orchestration to end and returns it with its output.</summary>
    public async Task<OrchestrationMetadata> CompletionAsync()
    {
        using var timeout = new CancellationTokenSource(Eventually.Patience);
        return await _client.WaitForInstanceCompletionAsync(CaseId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Waits in real time until the workflow clock has passed <paramref name="workflowInstant"/> by <paramref name="margin"/>.</summary>
    public async Task PassAsync(DateTimeOffset workflowInstant, TimeSpan margin)
    {
        var until = Clock.ToReal(workflowInstant) + margin;
        while (TimeProvider.System.GetUtcNow() < until)
        {
            var left = until - TimeProvider.System.GetUtcNow();
            await Task.Delay(left > TimeSpan.FromMilliseconds(20) ? left : TimeSpan.FromMilliseconds(20));
        }
    }
}
