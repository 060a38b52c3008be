using Handoff.Core.Cases;
using Handoff.Core.Workflow;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Protection;
using Handoff.Workflow;
using Microsoft.Extensions.Logging.Abstractions;

namespace Handoff.Testing;

/// <summary>Our tables and the case's activity wired against Azurite as the hosts wire them, with request counting and fault injection.</summary>
public sealed class Stores
{
    public Stores(string connectionString, HandoffPolicy? policy = null, IReadOnlyDictionary<string, HandoffPolicy>? regional = null)
    {
        Counter = new StorageRequestCounter();
        Faults = new FaultInjector();
        Clients = StorageClients.FromConnectionString(connectionString, Counter.For, Faults.Policy);
        Environment = new WorkflowEnvironment(TestData.Calendar, TestData.Orgs, policy ?? new HandoffPolicy(), regional);
        Store = new CaseStore(Clients);
        Persons = new PersonReservations(Clients);
        Inbox = new InboxStore(Clients);
        Dispatcher = new NoticeDispatcher(Clients, Inbox, TestData.Orgs);
        Index = new CaseIndexStore(Clients, TestData.Orgs);
        Stats = new Handoff.Storage.Statistics.RegionStatsStore(Clients, TestData.Orgs);
        CatchUp = new Handoff.Storage.Statistics.RegionStatsCatchUp(Stats, TestData.Orgs, NullLogger<Handoff.Storage.Statistics.RegionStatsCatchUp>.Instance);
        Signals = new CommandSignals();
        Pending = new ApplyPendingActivity(Store, Index, Dispatcher, Persons, Stats, Environment, Signals, NullLogger<ApplyPendingActivity>.Instance, CatchUp);
        Activity = new ApplyStepActivity(Store, Pending);
        Blocked = new NoteBlockedActivity(Index, NullLogger<NoteBlockedActivity>.Instance);
        Protector = new IdNumberProtector(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    }

    public StorageRequestCounter Counter { get; }

    public FaultInjector Faults { get; }

    public StorageClients Clients { get; }

    public WorkflowEnvironment Environment { get; }

    public CaseStore Store { get; }

    public Handoff.Storage.Statistics.RegionStatsStore Stats { get; }

    public PersonReservations Persons { get; }

    public InboxStore Inbox { get; }

    public NoticeDispatcher Dispatcher { get; }

    public CaseIndexStore Index { get; }

    /// <summary>The case's activity (schema 3): applies what waits in the case's inbox.</summary>
    public ApplyPendingActivity Pending { get; }

    /// <summary>The schema-2 activity: writes the step into the inbox, then applies it — the shortest way for a test to apply one step.</summary>
    public ApplyStepActivity Activity { get; }

    public NoteBlockedActivity Blocked { get; }

    public CommandSignals Signals { get; }

    public Handoff.Storage.Statistics.RegionStatsCatchUp CatchUp { get; }

    public IdNumberProtector Protector { get; }

    /// <summary>A person record protected with this key, as the API makes it.</summary>
    public Handoff.Core.People.PersonRecord Person(string idNumber, string region = "441426") =>
        new("张某某", Handoff.Core.People.ResidentIdNumber.Mask(idNumber), Protector.Protect(idNumber), Protector.Lookup(idNumber), region, region);

    /// <summary>A registration by 梅州市强制隔离戒毒所 to 平远县大柘镇, for a fresh case id.</summary>
    public RegisterRelease Register(string idNumber, DateOnly releaseDate, int years = 3) =>
        TestData.Register(releaseDate, years, CaseIds.New(), Person(idNumber));

    public Handoff.Storage.Queues.QueuePump Pump(Handoff.Storage.Queues.IQueueHandler handler, Handoff.Storage.Queues.QueuePumpOptions? options = null) =>
        new(Clients, handler, TimeProvider.System, new Handoff.Storage.Queues.QueueHealth(), NullLogger<Handoff.Storage.Queues.QueuePump>.Instance,
            options ?? new Handoff.Storage.Queues.QueuePumpOptions { Lease = TimeSpan.FromSeconds(1), BackoffBase = TimeSpan.FromMilliseconds(50) });

    /// <summary>Writes a command into the case's inbox, received at <paramref name="at"/>, as the API does.</summary>
    public async Task<CommandRecord> AcceptAsync(string caseId, CaseCommand command, DateTimeOffset at, string? commandId = null) =>
        await Store.AcceptAsync(caseId, CommandRecord.Accepted(commandId ?? Guid.NewGuid().ToString("N"), command, at, null))
        ?? throw new InvalidOperationException("The command was in the inbox already.");

    /// <summary>Applies a step as the orchestration's activity does, received at <paramref name="at"/> (into the inbox first).</summary>
    public Task<CaseProgress> ApplyAsync(string caseId, CaseCommand command, DateTimeOffset at, string? commandId = null) =>
        Activity.RunAsync(new ApplyStepRequest(caseId, new CaseStep(commandId ?? Guid.NewGuid().ToString("N"), command, at)));
}
