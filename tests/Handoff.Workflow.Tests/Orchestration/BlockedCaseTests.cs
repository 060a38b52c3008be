using Handoff.Core.Cases;
using Handoff.Testing;
using Handoff.Workflow.Tests.Support;
using Microsoft.DurableTask.Client;
using static Handoff.Testing.TestData;

namespace Handoff.Workflow.Tests.Orchestration;

/// <summary>
/// An activity that fails all its retries on the SDK's in-process engine: the case's orchestration never gives up. It shows itself
/// blocked (custom status, the operators' list), waits with back-off, tries again — and once the fault is gone applies what waits, in
/// the order received, and unlists itself.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlockedCaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly Stores _stores = new(azurite.ConnectionString);
    private InProcessEngine? _engine;
    private volatile bool _failing;
    private int _attempts;

    private static readonly ApplyRetry QuickRetries = new()
    {
        Attempts = 2, Interval = TimeSpan.FromMilliseconds(100), BlockedWait = TimeSpan.FromMilliseconds(500), BlockedWaitMax = TimeSpan.FromSeconds(1),
    };

    public async Task InitializeAsync() => _engine = await InProcessEngine.StartAsync(_stores, request =>
    {
        Interlocked.Increment(ref _attempts);
        return _failing ? throw new InvalidOperationException("injected: the case's tables are unreachable") : _stores.Pending.RunAsync(request);
    });

    public async Task DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [Fact]
    public async Task ActivityFailingPastItsRetries_BlocksTheCase_WhichTriesAgainAndAppliesOnceTheFaultIsGone()
    {
        var run = new CaseRun(_stores, _engine!.Client, 1, TimeSpan.FromMilliseconds(250), QuickRetries);
        await run.RegisterAsync(new DateOnly(2027, 1, 20));
        _failing = true;
        var acknowledgement = await run.AcceptAsync(new AcknowledgeNotice(As(Office)));
        await run.RaiseAsync(new CaseStep(acknowledgement, new AcknowledgeNotice(As(Office)), run.Time.GetUtcNow()));

        var blocked = await Eventually.HoldsAsync(() => _stores.Index.BlockedAsync(1000), b => b.Any(x => x.CaseId == run.CaseId && x.Failures >= 2),
            "the case listed as blocked, after two rounds of retries");
        var instance = await run.InstanceAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);
        Assert.Contains("\"status\":\"blocked\"", instance.SerializedCustomStatus, StringComparison.Ordinal);
        Assert.Contains("the case's tables are unreachable", blocked.Single(b => b.CaseId == run.CaseId).Error, StringComparison.Ordinal);

        // Meanwhile another command arrives; both wait, in the order received.
        var release = await run.AcceptAsync(new PostponeRelease(As(Centre), new DateOnly(2027, 1, 27), "所内诊断评估未完成"));
        _failing = false;

        var postponed = await run.AppliedAsync(release);
        Assert.Equal(CaseState.Acknowledged, (await run.AppliedAsync(acknowledgement)).State);
        Assert.Equal(new DateOnly(2027, 1, 27), postponed.ReleaseDate);
        await Eventually.HoldsAsync(() => _stores.Index.BlockedAsync(1000), b => b.All(x => x.CaseId != run.CaseId), "the case no longer listed as blocked");
        var after = await run.InstanceAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, after!.RuntimeStatus);
        Assert.DoesNotContain("blocked", after.SerializedCustomStatus ?? "", StringComparison.Ordinal);
    }
}
