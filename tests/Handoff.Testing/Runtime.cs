using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Protection;
using Handoff.Storage.Queues;
using Handoff.Storage.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Testing;

/// <summary>The durable runtime wired against Azurite as the host wires it, with the workflow clock in the test's hands.</summary>
public sealed class Runtime
{
    public Runtime(string connectionString, TimeProvider time, RuntimeOptions? options = null, QueueClock? queueClock = null, HandoffPolicy? policy = null)
    {
        ConnectionString = connectionString;
        Counter = new StorageRequestCounter();
        Faults = new FaultInjector();
        Clients = StorageClients.FromConnectionString(connectionString, Counter.For, Faults.Policy);
        Options = options ?? new RuntimeOptions { DispatchDelay = TimeSpan.Zero };
        QueueClock = queueClock ?? QueueClock.System;
        Environment = new WorkflowEnvironment(time, TestData.Calendar, TestData.Orgs, policy ?? new HandoffPolicy());
        Store = new CaseStore(Clients);
        WakeUps = new WakeUpQueue(Clients);
        Persons = new PersonRegistry(Clients, Store, time, Options);
        Runner = new CaseCommandRunner(Store, Persons, WakeUps, Environment, Options, NullLogger<CaseCommandRunner>.Instance);
        Inbox = new InboxStore(Clients);
        Dispatcher = new NoticeDispatcher(Clients, Inbox, TestData.Orgs);
        Index = new CaseIndexStore(Clients, TestData.Orgs);
        Processor = new WakeUpProcessor(Store, Dispatcher, Index, Environment, Options, NullLogger<WakeUpProcessor>.Instance);
        Health = new QueueHealth();
        WakeUpPump = Pump(new WakeUpHandler(Processor, QueueClock));
        Protector = new IdNumberProtector(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    }

    public string ConnectionString { get; }

    public StorageRequestCounter Counter { get; }

    public FaultInjector Faults { get; }

    public StorageClients Clients { get; }

    public RuntimeOptions Options { get; }

    public QueueClock QueueClock { get; }

    public WorkflowEnvironment Environment { get; }

    public CaseStore Store { get; }

    public WakeUpQueue WakeUps { get; }

    public PersonRegistry Persons { get; }

    public CaseCommandRunner Runner { get; }

    public InboxStore Inbox { get; }

    public NoticeDispatcher Dispatcher { get; }

    public CaseIndexStore Index { get; }

    public WakeUpProcessor Processor { get; }

    public QueueHealth Health { get; }

    public QueuePump WakeUpPump { get; }

    public IdNumberProtector Protector { get; }

    /// <summary>A person record protected with this runtime's key, as the API makes it.</summary>
    public Handoff.Core.People.PersonRecord Person(string idNumber, string region = "441426") =>
        new("张某某", Handoff.Core.People.ResidentIdNumber.Mask(idNumber), Protector.Protect(idNumber), Protector.Lookup(idNumber), region, region);

    /// <summary>A registration by 梅州市强制隔离戒毒所 to 平远县大柘镇, for a fresh case id.</summary>
    public Handoff.Core.Cases.RegisterRelease Register(string idNumber, DateOnly releaseDate, int years = 3) =>
        TestData.Register(releaseDate, years, CaseIds.New(), Person(idNumber));

    /// <summary>Fires the case's timer now, as its hidden message would when due: a copy with the live token.</summary>
    public async Task FireTimerAsync(string caseId)
    {
        var (record, _) = await Store.LoadAsync(caseId);
        await WakeUps.SendAsync(new WakeUpMessage(caseId, record!.TimerToken, record.Version), TimeSpan.Zero);
    }

    public QueuePump Pump(IQueueHandler handler, QueuePumpOptions? options = null) =>
        new(Clients, handler, QueueClock, Health, NullLogger<QueuePump>.Instance,
            options ?? new QueuePumpOptions { Lease = TimeSpan.FromSeconds(1), BackoffBase = TimeSpan.FromMilliseconds(50) });

    /// <summary>Polls the wake-up queue until it has nothing visible, as a worker would (at most <paramref name="rounds"/> polls).</summary>
    public async Task DrainAsync(int rounds = 20)
    {
        for (var i = 0; i < rounds; i++)
        {
            if (await WakeUpPump.PollOnceAsync(CancellationToken.None) == 0)
            {
                return;
            }
        }
    }
}
