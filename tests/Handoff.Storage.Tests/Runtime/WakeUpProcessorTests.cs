using Azure.Storage.Queues.Models;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Queues;
using Handoff.Testing;
using Microsoft.Extensions.Time.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Runtime;

[Collection(AzuriteCollection.Name)]
public class WakeUpProcessorTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(Beijing(2026, 2, 20, 9));

    public Task InitializeAsync() => azurite.ClearQueuesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(Testing.Runtime Runtime, string CaseId)> ReleasedAsync(CollectorKind collector = CollectorKind.Family)
    {
        var rt = new Testing.Runtime(azurite.ConnectionString, _time);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 24));
        await rt.Runner.ExecuteAsync(register.CaseId, register);
        await rt.Runner.ExecuteAsync(register.CaseId, new AcknowledgeNotice(As(Office)));
        _time.Advance(TimeSpan.FromDays(4));
        await rt.Runner.ExecuteAsync(register.CaseId, new RecordRelease(As(Centre), _time.GetUtcNow(), new CollectedBy(collector, collector == CollectorKind.None ? null : "张父")));
        await rt.DrainAsync();
        return (rt, register.CaseId);
    }

    private static async Task<List<Notice>> NoticesAsync(Testing.Runtime rt, string caseId, params string[] recipients)
    {
        var all = new List<Notice>();
        foreach (var recipient in recipients)
        {
            all.AddRange((await rt.Inbox.ListAsync(recipient, 500)).Where(n => n.CaseId == caseId));
        }

        return all;
    }

    [Fact]
    public async Task Drain_AfterCommands_DeliversOutboxToInboxFeedAndIndex()
    {
        var (rt, caseId) = await ReleasedAsync();

        var (record, _) = await rt.Store.LoadAsync(caseId);
        Assert.Empty(record!.Outbox);
        Assert.Equal(record.Version, record.IndexedVersion);
        var notices = await NoticesAsync(rt, caseId, Office, Police, Authority);
        Assert.Equal(6, notices.Count); // release notice and release recorded, to each of three
        var feed = await rt.Clients.Queue(StorageNames.NoticeFeedQueue).PeekMessagesAsync(32);
        Assert.Equal(6, feed.Value.Count(m => m.Body.ToString().Contains(caseId, StringComparison.Ordinal)));
        var listed = await rt.Index.QueryAsync(Orgs.Find(CountySupervisor)!, "released", null);
        Assert.Contains(listed, s => s.CaseId == caseId);
    }

    [Fact]
    public async Task Timer_AfterReportDeadline_MarksLostContactAndDeliversEscalation()
    {
        var (rt, caseId) = await ReleasedAsync();
        _time.Advance(TimeSpan.FromDays(16));

        await rt.FireTimerAsync(caseId);
        await rt.DrainAsync();

        var (record, _) = await rt.Store.LoadAsync(caseId);
        Assert.Equal(CaseState.LostContact, record!.State.State);
        var notices = await NoticesAsync(rt, caseId, Office, Police, Authority);
        Assert.Equal(3, notices.Count(n => n.Kind == NoticeKind.Escalation && n.EscalationKind == EscalationKind.NotReported));
        var overdue = await rt.Index.QueryAsync(Orgs.Find(ProvinceSupervisor)!, null, overdue: true);
        Assert.Contains(overdue, s => s.CaseId == caseId);
    }

    [Fact]
    public async Task Timer_FiredTwice_DeliversEachNoticeOnce()
    {
        var (rt, caseId) = await ReleasedAsync();
        _time.Advance(TimeSpan.FromDays(16));

        await rt.FireTimerAsync(caseId);
        await rt.FireTimerAsync(caseId);
        await rt.DrainAsync();

        var escalationNotices = (await NoticesAsync(rt, caseId, Office, Police, Authority)).Where(n => n.Kind == NoticeKind.Escalation).ToList();
        Assert.Equal(3, escalationNotices.Count);
        Assert.Single((await rt.Store.LoadAsync(caseId)).Record!.State.Escalations);
    }

    [Fact]
    public async Task StaleMessage_IsDroppedWithoutEffect()
    {
        var (rt, caseId) = await ReleasedAsync();
        var before = (await rt.Store.LoadAsync(caseId)).Record!;
        _time.Advance(TimeSpan.FromDays(16));

        await rt.WakeUps.SendAsync(new WakeUpMessage(caseId, "not-the-live-token", before.Version), TimeSpan.Zero);
        await rt.DrainAsync();

        var after = (await rt.Store.LoadAsync(caseId)).Record!;
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(CaseState.Released, after.State.State);
        Assert.Equal(0, (await rt.Clients.Queue(StorageNames.WakeUpQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount - 1);
    }

    [Fact]
    public async Task OrphanMessage_IsRetriedWhileYoung_DroppedWhenOld()
    {
        var (rt, caseId) = await ReleasedAsync();
        var version = (await rt.Store.LoadAsync(caseId)).Record!.Version;
        var orphan = new WakeUpMessage(caseId, "token-of-a-commit-that-failed", version + 1);

        var young = await rt.Processor.ProcessAsync(orphan, TimeSpan.FromSeconds(1));
        var old = await rt.Processor.ProcessAsync(orphan, rt.Options.OrphanAfter + TimeSpan.FromSeconds(1));

        Assert.IsType<Disposition.Retry>(young);
        Assert.IsType<Disposition.Complete>(old);
    }

    [Fact]
    public async Task LiveMessage_WithNothingDue_SleepsUntilNextDueInstant()
    {
        var (rt, caseId) = await ReleasedAsync();
        var record = (await rt.Store.LoadAsync(caseId)).Record!;

        var disposition = await rt.Processor.ProcessAsync(new WakeUpMessage(caseId, record.TimerToken, record.Version), TimeSpan.Zero);

        var wake = Assert.IsType<Disposition.WakeAfter>(disposition);
        Assert.Equal(record.State.DeadlineFor(DeadlineStep.Report)!.DueAt - _time.GetUtcNow(), wake.Delay);
    }

    [Fact]
    public async Task Timer_LongerThanOneHop_HopsAndFiresOnTimeAcrossARestart()
    {
        // Workflow time runs 10 hours per real second; a hop may last at most 1 s (Azure's limit is 7 days).
        // Registered Monday 21:00, the acknowledgement is due Wednesday 00:00: 27 workflow hours, 2.7 real seconds, 3 hops.
        var register = TestData.Register(new DateOnly(2026, 3, 10), 3, Storage.Runtime.CaseIds.New());
        var ackDue = Beijing(2026, 3, 4, 0);
        var time = new ScaledTime(Beijing(2026, 3, 2, 21), 36_000);
        var clock = new QueueClock(TimeProvider.System, 36_000, maxHop: TimeSpan.FromSeconds(1));
        var first = new Testing.Runtime(azurite.ConnectionString, time, queueClock: clock);
        var command = register with { Person = first.Person(UniqueIdNumber()) };
        await first.Runner.ExecuteAsync(command.CaseId, command);

        // The first process runs for a second and a half, then "restarts": a new runtime with new pumps.
        await RunPumpAsync(first, TimeSpan.FromSeconds(1.5));
        var second = new Testing.Runtime(azurite.ConnectionString, time, queueClock: clock);
        var fired = await RunPumpAsync(second, TimeSpan.FromSeconds(8), async () =>
            (await second.Store.LoadAsync(command.CaseId)).Record!.State.Escalations.Count > 0);

        Assert.True(fired, "the acknowledgement deadline did not fire");
        var escalation = (await second.Store.LoadAsync(command.CaseId)).Record!.State.Escalations.Single();
        Assert.Equal(EscalationKind.NotAcknowledged, escalation.Kind);
        Assert.True(escalation.OpenedAt >= ackDue);
        Assert.True(first.Counter.ByKind.GetValueOrDefault("queue PUT") + second.Counter.ByKind.GetValueOrDefault("queue PUT") >= 2, "the timer did not hop");
    }

    private static async Task<bool> RunPumpAsync(Testing.Runtime rt, TimeSpan duration, Func<Task<bool>>? until = null)
    {
        var deadline = DateTimeOffset.UtcNow + duration;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await rt.WakeUpPump.PollOnceAsync(CancellationToken.None);
            if (until is not null && await until())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private sealed class AlwaysFailing(bool keeps) : IQueueHandler
    {
        public string Queue => StorageNames.WakeUpQueue;

        public int MaxFailures => 3;

        public bool KeepsFailingMessages => keeps;

        public bool IsPermanent(Exception error) => false;

        public Task<Disposition> HandleAsync(QueueMessage message, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("table storage unreachable");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pump_TransientFailuresPastTheLimit_ReportToPoison_AndKeepOrMoveAsTheHandlerSays(bool keeps)
    {
        var rt = new Testing.Runtime(azurite.ConnectionString, _time);
        var queue = rt.Clients.Queue(StorageNames.WakeUpQueue);
        var poisonQueue = rt.Clients.Queue(StorageNames.Poison(StorageNames.WakeUpQueue));
        await queue.SendMessageAsync("{\"caseId\":\"HO-0000000000AB\",\"token\":\"t\",\"version\":1}");
        var pump = rt.Pump(new AlwaysFailing(keeps), new QueuePumpOptions { Lease = TimeSpan.FromSeconds(1), BackoffBase = TimeSpan.Zero, MaxBackoff = TimeSpan.Zero });

        for (var i = 0; i < 60 && (await poisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0; i++)
        {
            await pump.PollOnceAsync(CancellationToken.None);
            await Task.Delay(50);
        }

        for (var i = 0; i < 5; i++)
        {
            await pump.PollOnceAsync(CancellationToken.None); // further failures do not report again
        }

        var reported = Assert.Single((await poisonQueue.PeekMessagesAsync(10)).Value);
        Assert.Contains("table storage unreachable", reported.Body.ToString());
        Assert.Contains($"\"kept\":{(keeps ? "true" : "false")}", reported.Body.ToString());
        Assert.Equal(keeps ? 1 : 0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Pump_MessageThatKeepsFailing_GoesToPoisonQueueWithItsError()
    {
        var rt = new Testing.Runtime(azurite.ConnectionString, _time);
        var queue = rt.Clients.Queue(StorageNames.WakeUpQueue);
        await queue.SendMessageAsync("{\"caseId\": 42}");

        for (var i = 0; i < 60 && (await rt.Clients.Queue(StorageNames.Poison(StorageNames.WakeUpQueue)).GetPropertiesAsync()).Value.ApproximateMessagesCount == 0; i++)
        {
            await rt.WakeUpPump.PollOnceAsync(CancellationToken.None);
            await Task.Delay(100);
        }

        PeekedMessage[] poisoned = (await rt.Clients.Queue(StorageNames.Poison(StorageNames.WakeUpQueue)).PeekMessagesAsync(10)).Value;
        var message = Assert.Single(poisoned);
        Assert.Contains("JsonException", message.Body.ToString());
        Assert.Contains("\"failures\":1", message.Body.ToString()); // malformed: can never succeed, moved at once
        Assert.Equal(1, rt.Health.Queues[StorageNames.WakeUpQueue].Poisoned);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
