using Handoff.Core.Cases;
using Handoff.Core.Time;
using Handoff.Storage.Cases;
using Handoff.Testing;
using Microsoft.DurableTask.Client;

namespace Handoff.Workflow.Tests.Support;

/// <summary>
/// One case driven through the engine as the API drives it: the registration written to the case's inbox, the person reserved and the
/// orchestration started through <see cref="CaseInstances"/> (input with the clock and the grace); each command written to the inbox
/// stamped with the workflow instant it was "received" and signalled as the <c>step</c> event; what a user would see read back from our
/// tables. The workflow clock starts at <see cref="Start"/> (a Monday) and runs
/// <c>speed</c> times real time — the mapping production's development clock uses — so legal days pass in fractions of a second.
/// </summary>
public sealed class CaseRun
{
    public static readonly DateTimeOffset Start = TestData.Beijing(2026, 3, 2, 8);

    private readonly Stores _stores;
    private readonly DurableTaskClient _client;
    private readonly CaseInstances _instances;
    private int _commands;

    public CaseRun(Stores stores, DurableTaskClient client, double speed, TimeSpan grace, ApplyRetry? retry = null)
    {
        _stores = stores;
        _client = client;
        Time = new WorkflowTime(new WorkflowClock(TimeProvider.System.GetUtcNow(), Start, speed), grace);
        _instances = new CaseInstances(Time, retry ?? new ApplyRetry(), Handoff.Workflow.Engine.EngineBackend.From(null, new Handoff.Api.Hosting.DurableSettings().MaximumTimerInterval));
    }

    public WorkflowTime Time { get; }

    public WorkflowClock Clock => Time.Clock;

    public string CaseId { get; private set; } = "";

    public OpenCase? Registration { get; private set; }

    /// <summary>Registers a release by 梅州市强制隔离戒毒所 to 平远县大柘镇 and waits until its first step is applied.</summary>
    public async Task<Case> RegisterAsync(DateOnly releaseDate, int rehabilitationYears = 3)
    {
        Registration = _stores.Register(TestData.UniqueIdNumber(), releaseDate, rehabilitationYears);
        CaseId = Registration.CaseId;
        using var listener = _stores.Signals.Listen(CaseId, "register");
        await _stores.AcceptAsync(CaseId, Registration, Time.GetUtcNow(), "register");
        Assert.True(await _stores.Persons.ReserveAsync(Registration.Person.IdNumberLookup, CaseId, Time.GetUtcNow()), "the person is already reserved");
        Assert.True(await _instances.StartAsync(_client, CaseId), "the case's orchestration was running already");
        return await PublishedAsync(listener, "register");
    }

    /// <summary>Opens a file with <paramref name="opening"/> (a registration or a decision) as the command path does, and waits until
    /// its first step is applied.</summary>
    public async Task<Case> OpenAsync(OpenCase opening)
    {
        Registration = opening;
        CaseId = opening.CaseId;
        using var listener = _stores.Signals.Listen(CaseId, "open");
        await _stores.AcceptAsync(CaseId, opening, Time.GetUtcNow(), "open");
        Assert.True(await _stores.Persons.ReserveAsync(opening.Person.IdNumberLookup, CaseId, Time.GetUtcNow()), "the person is already reserved");
        Assert.True(await _instances.StartAsync(_client, CaseId), "the case's orchestration was running already");
        return await PublishedAsync(listener, "open");
    }

    /// <summary>Sends a command received now (or at <paramref name="receivedAt"/>) and waits until it is applied and published.</summary>
    public async Task<Case> SendAsync(CaseCommand command, DateTimeOffset? receivedAt = null)
    {
        var commandId = $"{command.GetType().Name}-{++_commands}";
        using var listener = _stores.Signals.Listen(CaseId, commandId);
        await _stores.AcceptAsync(CaseId, command, receivedAt ?? Time.GetUtcNow(), commandId);
        await RaiseAsync(new CaseStep(commandId, command, receivedAt ?? Time.GetUtcNow()));
        return await PublishedAsync(listener, commandId);
    }

    /// <summary>Writes a command into the case's inbox, received now (or at <paramref name="receivedAt"/>), without signalling it. Returns its id.</summary>
    public async Task<string> AcceptAsync(CaseCommand command, DateTimeOffset? receivedAt = null)
    {
        var commandId = $"{command.GetType().Name}-{++_commands}";
        await _stores.AcceptAsync(CaseId, command, receivedAt ?? Time.GetUtcNow(), commandId);
        return commandId;
    }

    /// <summary>Signals the case's orchestration with <paramref name="step"/> (a step with no row in the inbox is written there by the activity).</summary>
    public Task RaiseAsync(CaseStep step) => _instances.RaiseAsync(_client, CaseId, step);

    /// <summary>Waits until the step is decided (committed with its case); fails on a refusal. Its notices and lists may follow a moment later.</summary>
    public async Task<Case> AppliedAsync(string commandId)
    {
        var (record, command) = await Eventually.HoldsAsync(
            () => _stores.Store.LoadAsync(CaseId, commandId), r => r.Command is { Status: not CommandStatus.Accepted }, $"step {commandId} of {CaseId} decided");
        Assert.True(command!.Rejection is null, $"step {commandId} was refused: {command.Rejection}");
        return record!.State;
    }

    /// <summary>Waits until the case's activity says the step is applied and its effects published, as the API does before it answers.</summary>
    private async Task<Case> PublishedAsync(CommandSignals.Listener listener, string commandId)
    {
        var heard = await listener.Heard.WaitAsync(Eventually.Patience);
        Assert.True(heard.Row.Rejection is null, $"step {commandId} was refused: {heard.Row.Rejection}");
        return heard.Record!.State;
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
