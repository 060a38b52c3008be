using Handoff.Core.Cases;
using Handoff.Testing;
using Handoff.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Workflow;

/// <summary>The case's activity against Azurite: activities run at least once, so every step must apply once whatever repeats.</summary>
[Collection(AzuriteCollection.Name)]
public class ApplyStepActivityTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Registered = Beijing(2026, 2, 20, 9);

    [Fact]
    public async Task RunAsync_SameStepTwice_AppliesOnce()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(register.CaseId, register, Registered, "reg");
        var step = new CaseStep("ack-1", new AcknowledgeNotice(As(Office)), Registered.AddHours(1));

        var first = await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, step));
        var second = await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, step with { ReceivedAt = Registered.AddHours(2) }));

        Assert.Equal(first, second);
        var history = await rt.Store.HistoryAsync(register.CaseId);
        Assert.Single(history, h => h.Event is NoticeAcknowledged);
        Assert.Equal(Registered.AddHours(1), history.Single(h => h.Event is NoticeAcknowledged).Event.At);
    }

    [Fact]
    public async Task RunAsync_CrashAfterCommitBeforeNotices_RetryFindsTheCommitAndDeliversItsNoticesOnce()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(register.CaseId, register, Registered, "reg");
        await rt.ApplyAsync(register.CaseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1));
        var release = new CaseStep("rel-1", new RecordRelease(As(Centre), Beijing(2026, 3, 2, 9), new CollectedBy(CollectorKind.None, null)), Beijing(2026, 3, 2, 9));

        // Call 1 reads the case and the step's record; call 2 is the commit. Crash right after the commit lands.
        rt.Faults.CrashAfter(2);
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, release)));
        var inboxAfterCrash = await rt.Inbox.ListAsync(Police, 100);
        Assert.DoesNotContain(inboxAfterCrash, n => n.CaseId == register.CaseId && n.Kind == Core.Notices.NoticeKind.Escalation);
        Assert.False((await rt.Store.LoadAsync(register.CaseId, "rel-1")).Command!.Published);

        rt.Faults.CrashAfter(0);
        var progress = await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, release));

        Assert.Equal(CaseState.Released, progress.State);
        var history = await rt.Store.HistoryAsync(register.CaseId);
        Assert.Single(history, h => h.Event is ReleaseRecorded);
        var escalationNotices = (await rt.Inbox.ListAsync(Police, 100)).Where(n => n.CaseId == register.CaseId && n.Kind == Core.Notices.NoticeKind.Escalation).ToList();
        Assert.Single(escalationNotices);
        var (record, _) = await rt.Store.LoadAsync(register.CaseId);
        Assert.Contains((await rt.Index.QueryAsync(Orgs.Find(CountySupervisor)!, "released", null, null, 200)).Cases, s => s.CaseId == register.CaseId && s.Overdue);
        Assert.Equal(record!.Version, progress.Version);
        Assert.True((await rt.Store.LoadAsync(register.CaseId, "rel-1")).Command!.Published);
    }

    [Fact]
    public async Task RunAsync_CrashAfterTheCommitThatClosesTheCase_RetryLeavesNoOpenIndexRow()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(register.CaseId, register, Registered, "reg");
        var cancel = new CaseStep("cancel-1", new CancelRelease(As(Centre), "撤销"), Registered.AddHours(1));

        rt.Faults.CrashAfter(2);
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, cancel)));
        rt.Faults.CrashAfter(0);
        await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, cancel));

        var listed = (await rt.Index.QueryAsync(Orgs.Find(CountySupervisor)!, null, null, null, 200)).Cases.Where(s => s.CaseId == register.CaseId).ToList();
        Assert.Equal("cancelled", Assert.Single(listed).State);
    }

    [Fact]
    public async Task RunAsync_CrashAfterTheCommitThatMovesTheDueInstant_RetryLeavesOnlyTheNewDueRow()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        var registered = await rt.ApplyAsync(register.CaseId, register, Registered, "reg");
        var ack = new CaseStep("ack-1", new AcknowledgeNotice(As(Office)), Registered.AddHours(1));

        // The acknowledgement moves the next due instant from the acknowledgement deadline to the release deadline. Crash after its
        // commit, before the index is written: the retry re-publishes the committed step and must drop the old due row too (the soak
        // found such rows left behind, read by every reconciler sweep for ever).
        rt.Faults.CrashAfter(2);
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, ack)));
        rt.Faults.CrashAfter(0);
        var acknowledged = await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, ack));

        Assert.NotEqual(registered.NextDueAt, acknowledged.NextDueAt);
        var due = (await rt.Index.DueBeforeAsync(DateTimeOffset.MaxValue, 100_000)).Where(d => d.CaseId == register.CaseId).ToList();
        Assert.Equal(acknowledged.NextDueAt, Assert.Single(due).DueAt);
    }

    [Fact]
    public async Task RunAsync_StepReceivedBeforeTheLastApplied_IsAppliedAtTheLastAppliedInstant()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(register.CaseId, register, Registered, "reg");
        await rt.ApplyAsync(register.CaseId, new CancelRelease(As(Centre), "撤销"), Registered.AddHours(3));

        await rt.ApplyAsync(register.CaseId, new MarkEscalationRead(As(Office), register.CaseId + "-E9"), Registered.AddHours(1));

        var history = await rt.Store.HistoryAsync(register.CaseId);
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.Event.At <= p.Second.Event.At));
    }

    [Fact]
    public async Task RunAsync_RefusedStep_IsRecordedWithItsRejection()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(register.CaseId, register, Registered, "reg");

        await rt.ApplyAsync(register.CaseId, new RecordReport(As(Office), Registered), Registered, "early-report");

        var (_, command) = await rt.Store.LoadAsync(register.CaseId, "early-report");
        Assert.Equal("release-not-recorded", command!.Rejection!.Code);
    }

    [Fact]
    public async Task RunAsync_RegistrationRefused_ReleasesThePersonsReservation()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2)) with { OfficeId = "no-such-office" };
        Assert.True(await rt.Persons.ReserveAsync(register.Person.IdNumberLookup, register.CaseId, Registered));

        var progress = await rt.ApplyAsync(register.CaseId, register, Registered, "reg");

        Assert.True(progress.Closed);
        Assert.Null(await rt.Persons.HolderAsync(register.Person.IdNumberLookup));
    }

    [Fact]
    public async Task ReserveAsync_TwentyRacingRegistrations_ExactlyOneHoldsThePerson()
    {
        var rt = new Stores(azurite.ConnectionString);
        var lookup = rt.Protector.Lookup(UniqueIdNumber());

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => rt.Persons.ReserveAsync(lookup, $"HO-RACE{i:D8}", Registered)));

        Assert.Single(results, r => r);
        Assert.Equal($"HO-RACE{Array.IndexOf(results, true):D8}", await rt.Persons.HolderAsync(lookup));
    }
}
