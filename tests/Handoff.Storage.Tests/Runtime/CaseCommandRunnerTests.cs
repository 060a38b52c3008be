using Handoff.Core.Cases;
using Handoff.Core.Workflow;
using Handoff.Storage.Runtime;
using Handoff.Testing;
using Microsoft.Extensions.Time.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Runtime;

[Collection(AzuriteCollection.Name)]
public class CaseCommandRunnerTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(Beijing(2026, 2, 20, 9));

    private Testing.Runtime NewRuntime() => new(azurite.ConnectionString, _time);

    [Fact]
    public async Task ExecuteAsync_Command_CostsOneReadOneSendOneTransaction()
    {
        var rt = NewRuntime();
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(register.CaseId, register);

        rt.Counter.Reset();
        var outcome = await rt.Runner.ExecuteAsync(register.CaseId, new AcknowledgeNotice(As(Office)));

        Assert.Null(outcome.Rejection);
        Assert.Equal(CaseState.Acknowledged, outcome.Case!.State);
        Assert.Equal(3, rt.Counter.Total);
        Assert.Equal(1, rt.Counter.ByKind["queue POST"]);
    }

    [Fact]
    public async Task ExecuteAsync_Register_WritesCaseHistoryAndOutboxTogether()
    {
        var rt = NewRuntime();
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));

        var outcome = await rt.Runner.ExecuteAsync(register.CaseId, register);

        Assert.True(outcome.Created);
        var (record, _) = await rt.Store.LoadAsync(register.CaseId);
        var history = await rt.Store.HistoryAsync(register.CaseId);
        Assert.Equal(record!.State.EventCount, history.Count);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(h => h.Sequence));
        Assert.Equal(3, record.Outbox.Count);
        Assert.Equal(1, record.Version);
        Assert.Equal(0, record.IndexedVersion);
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(record.State, Handoff.Core.Serialization.CoreJson.Options),
            System.Text.Json.JsonSerializer.Serialize(CaseWorkflow.Fold(history.Select(h => h.Event)), Handoff.Core.Serialization.CoreJson.Options));
    }

    [Fact]
    public async Task ExecuteAsync_SameIdempotencyKey_ReturnsFirstResultAndChangesNothing()
    {
        var rt = NewRuntime();
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(register.CaseId, register);
        var release = new RecordRelease(As(Centre), Beijing(2026, 2, 20, 8), new CollectedBy(CollectorKind.Family, "张父"));
        await rt.Runner.ExecuteAsync(register.CaseId, release, "key-1", "body-1");
        var before = await rt.Store.HistoryAsync(register.CaseId);

        rt.Counter.Reset();
        var again = await rt.Runner.ExecuteAsync(register.CaseId, release, "key-1", "body-1");

        Assert.True(again.Replayed);
        Assert.Null(again.Rejection);
        Assert.Equal(CaseState.Released, again.Case!.State);
        Assert.Equal(1, rt.Counter.Total);
        Assert.Equal(before.Count, (await rt.Store.HistoryAsync(register.CaseId)).Count);
    }

    [Fact]
    public async Task ExecuteAsync_SameKeyDifferentRequest_IsRefused()
    {
        var rt = NewRuntime();
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(register.CaseId, register);
        await rt.Runner.ExecuteAsync(register.CaseId, new AcknowledgeNotice(As(Office)), "key-2", "a");

        var other = await rt.Runner.ExecuteAsync(register.CaseId, new AcknowledgeNotice(As(Office)), "key-2", "b");

        Assert.Equal("idempotency-key-reused", other.Rejection!.Code);
    }

    [Fact]
    public async Task ExecuteAsync_SameKeyFromAnotherOrganisation_IsAnotherKey()
    {
        var rt = NewRuntime();
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(register.CaseId, register);
        await rt.Runner.ExecuteAsync(register.CaseId, new AcknowledgeNotice(As(Office)), "shared", "x");

        var centre = await rt.Runner.ExecuteAsync(register.CaseId, new CancelRelease(As(Centre), null), "shared", "x");

        Assert.False(centre.Replayed);
        Assert.Equal(CaseState.Cancelled, centre.Case!.State);
    }

    [Fact]
    public async Task Register_PersonWithOpenCase_IsAConflictNamingTheCase()
    {
        var rt = NewRuntime();
        var id = UniqueIdNumber();
        var first = rt.Register(id, new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(first.CaseId, first);

        var second = rt.Register(id, new DateOnly(2026, 3, 5));
        var outcome = await rt.Runner.ExecuteAsync(second.CaseId, second);

        Assert.Equal("open-case-exists", outcome.Rejection!.Code);
        Assert.Contains(first.CaseId, outcome.Rejection.Detail);
        Assert.Null((await rt.Store.LoadAsync(second.CaseId)).Record);
    }

    [Fact]
    public async Task Register_AfterTheOpenCaseWasCancelled_IsAllowed()
    {
        var rt = NewRuntime();
        var id = UniqueIdNumber();
        var first = rt.Register(id, new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(first.CaseId, first);
        await rt.Runner.ExecuteAsync(first.CaseId, new CancelRelease(As(Centre), "撤销"));

        var second = rt.Register(id, new DateOnly(2026, 3, 5));
        var outcome = await rt.Runner.ExecuteAsync(second.CaseId, second);

        Assert.Null(outcome.Rejection);
    }

    [Fact]
    public async Task Register_ClaimLeftByACrashedRegistration_IsTakenOverOnceStale()
    {
        var rt = NewRuntime();
        var id = UniqueIdNumber();
        var crashed = rt.Register(id, new DateOnly(2026, 3, 2));
        Assert.Null(await rt.Persons.ClaimAsync(crashed.Person.IdNumberLookup, crashed.CaseId));

        var retry = rt.Register(id, new DateOnly(2026, 3, 2));
        Assert.Equal("registration-in-progress", (await rt.Runner.ExecuteAsync(retry.CaseId, retry)).Rejection!.Code);

        _time.Advance(rt.Options.PersonLockStaleAfter + TimeSpan.FromSeconds(1));
        Assert.Null((await rt.Runner.ExecuteAsync(retry.CaseId, retry)).Rejection);
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentCommandsOnOneCase_LoseNoUpdate()
    {
        var rt = NewRuntime();
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(register.CaseId, register);
        await rt.Runner.ExecuteAsync(register.CaseId, new AcknowledgeNotice(As(Office)));
        await rt.Runner.ExecuteAsync(register.CaseId, new RecordRelease(As(Centre), Beijing(2026, 2, 20, 8), new CollectedBy(CollectorKind.None, null)));
        _time.Advance(TimeSpan.FromDays(4));
        await rt.Runner.ExecuteAsync(register.CaseId, new Tick());
        var escalation = (await rt.Store.LoadAsync(register.CaseId)).Record!.State.Escalations.Single();
        var recipients = escalation.Recipients.Select(r => r.OrganisationId).ToList();
        Assert.True(recipients.Count >= 5);

        var outcomes = await Task.WhenAll(recipients.Select(r =>
            rt.Runner.ExecuteAsync(register.CaseId, new MarkEscalationRead(As(r), escalation.Id))));

        Assert.All(outcomes, o => Assert.Null(o.Rejection));
        var final = (await rt.Store.LoadAsync(register.CaseId)).Record!.State.Escalations.Single();
        Assert.Equal(recipients.Order(), final.ReadBy.Select(r => r.OrganisationId).Order());
    }

    [Fact]
    public async Task ExecuteAsync_CaseInvisibleToCaller_IsNotFoundAndWritesNothing()
    {
        var rt = NewRuntime();
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(register.CaseId, register);

        var outcome = await rt.Runner.ExecuteAsync(register.CaseId, new AcknowledgeNotice(As(OtherOffice)), visibleTo: Orgs.Find(OtherOffice));

        Assert.Equal(RejectionKind.NotFound, outcome.Rejection!.Kind);
        Assert.Equal(1, (await rt.Store.LoadAsync(register.CaseId)).Record!.Version);
    }
}
