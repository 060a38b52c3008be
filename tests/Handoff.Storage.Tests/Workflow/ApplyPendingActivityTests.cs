using Azure.Data.Tables;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Storage.Cases;
using Handoff.Testing;
using Handoff.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Workflow;

/// <summary>
/// The case's activity against Azurite: it applies what waits in the case's inbox, in the order received, each step at the instant it
/// was received; activities run at least once, so every step must apply once whatever repeats or crashes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class ApplyPendingActivityTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Registered = Beijing(2026, 2, 20, 9);

    [Fact]
    public async Task RunAsync_Twice_AppliesTheAcceptedCommandOnce()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt);
        await rt.AcceptAsync(caseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1), "ack-1");

        var first = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));
        var second = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));

        Assert.Equal(["ack-1"], first.Applied!);
        Assert.Empty(second.Applied!);
        Assert.Equal(first.Version, second.Version);
        var history = await rt.Store.HistoryAsync(caseId);
        Assert.Equal(Registered.AddHours(1), Assert.Single(history, h => h.Event is NoticeAcknowledged).Event.At);
    }

    [Fact]
    public async Task RunAsync_CommandsWrittenOutOfOrder_AreAppliedInTheOrderReceived_EachAtItsOwnInstant()
    {
        // The API received the acknowledgement first, but its row was written after the postponement's (a slow write): the order and the
        // instants are the ones received, whatever the order of the rows.
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        await rt.AcceptAsync(caseId, new PostponeRelease(As(Centre), new DateOnly(2026, 3, 9), "所内诊断评估未完成"), Registered.AddHours(2), "postpone");
        await rt.AcceptAsync(caseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1), "ack");

        var progress = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));

        Assert.Equal(["ack", "postpone"], progress.Applied!);
        var history = await rt.Store.HistoryAsync(caseId);
        var acknowledged = history.Single(h => h.Event is NoticeAcknowledged);
        var postponed = history.Single(h => h.Event is ReleasePostponed);
        Assert.True(acknowledged.Sequence < postponed.Sequence);
        Assert.Equal(Registered.AddHours(1), acknowledged.Event.At);
        Assert.Equal(Registered.AddHours(2), postponed.Event.At);
        // Acknowledged before the postponement: the new notice does not ask for another acknowledgement.
        Assert.Equal(DeadlineStatus.Met, (await rt.Store.LoadAsync(caseId)).Record!.State.DeadlineFor(DeadlineStep.Acknowledgement)!.Status);
    }

    [Fact]
    public async Task RunAsync_ReportReceivedBeforeTheDeadline_IsAppliedBeforeTheDeadlinesTick_NoEscalation()
    {
        // The report reached the inbox before the tick ran, but its signal had not reached the orchestration (another process's poller):
        // the tick's run applies it first — on time — and finds nothing to escalate.
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await ReleasedAsync(rt);
        var due = (await rt.Store.LoadAsync(caseId)).Record!.State.DeadlineFor(DeadlineStep.Report)!.DueAt;
        var receivedAt = due.AddSeconds(-1);
        await rt.AcceptAsync(caseId, new RecordReport(As(Office), receivedAt), receivedAt, "report");

        var progress = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, new CaseStep("t-midnight", new Tick(), due.AddSeconds(1))));

        Assert.Equal(["report", "t-midnight"], progress.Applied!);
        var c = (await rt.Store.LoadAsync(caseId)).Record!.State;
        Assert.Equal(CaseState.Reported, c.State);
        Assert.Equal(DeadlineStatus.Met, c.DeadlineFor(DeadlineStep.Report)!.Status);
        Assert.DoesNotContain(c.Escalations, e => e.Kind == EscalationKind.NotReported);
        Assert.DoesNotContain(await rt.Inbox.ListAsync(Police, 200), n => n.CaseId == caseId && n.Kind == NoticeKind.Escalation);
    }

    [Fact]
    public async Task RunAsync_ReportReceivedOneSecondAfterTheDeadline_IsLate_AndTheEscalationStands()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await ReleasedAsync(rt);
        var due = (await rt.Store.LoadAsync(caseId)).Record!.State.DeadlineFor(DeadlineStep.Report)!.DueAt;
        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, new CaseStep("t-midnight", new Tick(), due.AddSeconds(1))));
        var receivedAt = due.AddSeconds(1);
        await rt.AcceptAsync(caseId, new RecordReport(As(Office), receivedAt), receivedAt, "report");

        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));

        var c = (await rt.Store.LoadAsync(caseId)).Record!.State;
        Assert.Equal(CaseState.Reported, c.State);
        Assert.Equal(DeadlineStatus.Missed, c.DeadlineFor(DeadlineStep.Report)!.Status);
        var resolved = await rt.Inbox.ListAsync(Police, 200);
        Assert.Contains(resolved, n => n.CaseId == caseId && n.Kind == NoticeKind.EscalationResolved && n.Title.StartsWith("【督办已解除】", StringComparison.Ordinal));
        Assert.DoesNotContain(resolved, n => n.CaseId == caseId && n.Title.Contains("撤回", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CrashAfterCommitBeforeNotices_RetryFindsTheCommitAndDeliversItsNoticesOnce()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(caseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1));
        var at = Beijing(2026, 3, 2, 9);
        await rt.AcceptAsync(caseId, new RecordRelease(As(Centre), at, new CollectedBy(CollectorKind.None, null)), at, "rel-1");

        // Call 1 reads the case and its inbox; call 2 is the commit. Crash right after the commit lands.
        rt.Faults.CrashAfter(2);
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null)));
        Assert.DoesNotContain(await rt.Inbox.ListAsync(Police, 100), n => n.CaseId == caseId && n.Kind == NoticeKind.Escalation);
        Assert.False((await rt.Store.LoadAsync(caseId, "rel-1")).Command!.Published);

        rt.Faults.CrashAfter(0);
        var progress = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));

        Assert.Equal(CaseState.Released, progress.State);
        Assert.Single(await rt.Store.HistoryAsync(caseId), h => h.Event is ReleaseRecorded);
        Assert.Single(await rt.Inbox.ListAsync(Police, 100), n => n.CaseId == caseId && n.Kind == NoticeKind.Escalation);
        Assert.Contains((await rt.Index.QueryAsync(Orgs.Find(CountySupervisor)!, "released", null, null, 200)).Cases, s => s.CaseId == caseId && s.Overdue);
        var (record, row) = await rt.Store.LoadAsync(caseId, "rel-1");
        Assert.Equal(record!.Version, progress.Version);
        Assert.True(row!.Published);
        Assert.Null(row.Payload); // what a published row no longer needs is gone
        Assert.Empty(row.Notices);
    }

    [Fact]
    public async Task RunAsync_CrashAfterTheCommitThatClosesTheCase_RetryLeavesNoOpenIndexRow()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        await rt.AcceptAsync(caseId, new CancelRelease(As(Centre), "撤销"), Registered.AddHours(1), "cancel-1");

        rt.Faults.CrashAfter(2);
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null)));
        rt.Faults.CrashAfter(0);
        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));

        var listed = (await rt.Index.QueryAsync(Orgs.Find(CountySupervisor)!, null, null, null, 200)).Cases.Where(s => s.CaseId == caseId).ToList();
        Assert.Equal("cancelled", Assert.Single(listed).State);
    }

    [Fact]
    public async Task RunAsync_CrashAfterTheCommitThatMovesTheDueInstant_RetryLeavesOnlyTheNewDueRow()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        var registered = ApplyPendingActivity.Progress((await rt.Store.LoadAsync(caseId)).Record);
        await rt.AcceptAsync(caseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1), "ack-1");

        // The acknowledgement moves the next due instant from the acknowledgement deadline to the release deadline. Crash after its
        // commit, before the index is written: the retry re-publishes the committed step and must drop the old due row too.
        rt.Faults.CrashAfter(2);
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null)));
        rt.Faults.CrashAfter(0);
        var acknowledged = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));

        Assert.NotEqual(registered.NextDueAt, acknowledged.NextDueAt);
        var due = (await rt.Index.DueBeforeAsync(DateTimeOffset.MaxValue, 100_000)).Where(d => d.CaseId == caseId).ToList();
        Assert.Equal(acknowledged.NextDueAt, Assert.Single(due).DueAt);
    }

    [Fact]
    public async Task RunWithAnId_LeavesItsStepsToBeMarkedPublishedByTheNextRunsFirstCommit_WithoutPublishingThemAgain()
    {
        // A run's call returning is what says its steps are published; the next run marks them so in the write it makes anyway.
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        var at = Beijing(2026, 3, 2, 9);
        await rt.AcceptAsync(caseId, new RecordRelease(As(Centre), at, new CollectedBy(CollectorKind.None, null)), at, "release");
        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null, Run: "run-1"));
        var (_, released) = await rt.Store.LoadAsync(caseId, "release");
        Assert.Equal((CommandStatus.Applied, false, "run-1"), (released!.Status, released.Published, released.Run));
        await rt.AcceptAsync(caseId, new RecordPersonFound(As(Police), at.AddHours(5), "在家中找到"), at.AddHours(5), "found");

        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null, Run: "run-2"));

        // Run 2 marks run 1's step published (in its commit), and leaves its own to the run after it: no write of its own for either.
        Assert.True((await rt.Store.LoadAsync(caseId, "release")).Command!.Published);
        Assert.False((await rt.Store.LoadAsync(caseId, "found")).Command!.Published);
        Assert.Single(await rt.Inbox.ListAsync(Police, 200), n => n.CaseId == caseId && n.Kind == NoticeKind.Escalation); // not published twice
    }

    [Fact]
    public async Task RetryOfTheSameRun_PublishesWhatItsCrashedAttemptDecided_Once()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        var at = Beijing(2026, 3, 2, 9);
        await rt.AcceptAsync(caseId, new RecordRelease(As(Centre), at, new CollectedBy(CollectorKind.None, null)), at, "release");

        rt.Faults.CrashAfter(2); // the inbox read, then the commit lands and the attempt dies
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null, Run: "run-1")));
        rt.Faults.CrashAfter(0);
        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null, Run: "run-1"));

        Assert.Single(await rt.Inbox.ListAsync(Police, 200), n => n.CaseId == caseId && n.Kind == NoticeKind.Escalation);
        Assert.Contains((await rt.Index.QueryAsync(Orgs.Find(CountySupervisor)!, "released", null, null, 200)).Cases, s => s.CaseId == caseId && s.Overdue);
    }

    [Fact]
    public async Task RunAsync_RefusedCommand_IsRecordedWithItsRejection()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        await rt.AcceptAsync(caseId, new RecordReport(As(Office), Registered), Registered, "early-report");

        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));

        var (_, command) = await rt.Store.LoadAsync(caseId, "early-report");
        Assert.Equal(CommandStatus.Refused, command!.Status);
        Assert.Equal("release-not-recorded", command.Rejection!.Code);
    }

    [Fact]
    public async Task RunAsync_UnreadablePayload_IsRefusedAsInternalError_NotedInTheFile_AndTheNextCommandApplies()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        var table = rt.Clients.Table("Cases");
        await table.AddEntityAsync(new TableEntity(caseId, CommandRecord.RowKeyFor("garbled"))
        {
            ["Command"] = "RecordSomethingNew", ["Status"] = "Accepted", ["Open"] = true, ["ReceivedAt"] = Registered.AddMinutes(30),
            ["SentBy"] = Office, ["Payload"] = "{\"type\":\"recordSomethingNew\",\"by\":{\"organisationId\":\"pingyuan-dazhe-office\"}}", ["Payload_parts"] = 1,
        });
        await rt.AcceptAsync(caseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1), "ack");

        var progress = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null));

        Assert.Equal(["garbled", "ack"], progress.Applied!);
        var (record, garbled) = await rt.Store.LoadAsync(caseId, "garbled");
        Assert.Equal(CommandStatus.Refused, garbled!.Status);
        Assert.Equal("internal-error", garbled.Rejection!.Code);
        Assert.Equal(CaseState.Acknowledged, record!.State.State);
        var failed = Assert.Single((await rt.Store.HistoryAsync(caseId)).Select(h => h.Event).OfType<StepFailed>());
        Assert.Equal(("RecordSomethingNew", "garbled", Office), (failed.Command, failed.CommandId, failed.By.OrganisationId));
    }

    [Fact]
    public async Task RunAsync_SignalledStepWithoutARow_IsWrittenAndApplied_AndOneAlreadyPublishedIsNotAppliedAgain()
    {
        // A step an earlier build raised without writing a row (schema 2) still applies; a repeated signal of a published one changes nothing.
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        var ack = new CaseStep("legacy-ack", new AcknowledgeNotice(As(Office)), Registered.AddHours(1));

        var first = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null, [ack]));
        var again = await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null, [ack with { ReceivedAt = Registered.AddHours(5) }]));

        Assert.Equal(["legacy-ack"], first.Applied!);
        Assert.Empty(again.Applied!);
        Assert.Equal(Registered.AddHours(1), Assert.Single(await rt.Store.HistoryAsync(caseId), h => h.Event is NoticeAcknowledged).Event.At);
    }

    [Fact]
    public async Task RunAsync_RegistrationRefused_ReleasesThePersonsReservation()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2)) with { OfficeId = "no-such-office" };
        Assert.True(await rt.Persons.ReserveAsync(register.Person.IdNumberLookup, register.CaseId, Registered));
        await rt.AcceptAsync(register.CaseId, register, Registered, "reg");

        var progress = await rt.Pending.RunAsync(new ApplyPendingRequest(register.CaseId, null));

        Assert.True(progress.Closed);
        Assert.Null(await rt.Persons.HolderAsync(register.Person.IdNumberLookup));
        Assert.Equal("unknown-office", (await rt.Store.LoadAsync(register.CaseId, "reg")).Command!.Rejection!.Code);
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

    [Fact]
    public async Task ApplyStep_OfSchemaTwo_WritesTheStepIntoTheInbox_KeepingARowTheApiWroteFirst()
    {
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        await rt.AcceptAsync(caseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1), "ack");

        var progress = await rt.Activity.RunAsync(new ApplyStepRequest(caseId, new CaseStep("ack", new AcknowledgeNotice(As(Office)), Registered.AddHours(3))));

        Assert.Equal(CaseState.Acknowledged, progress.State);
        Assert.Null(progress.Applied);
        Assert.Equal(Registered.AddHours(1), Assert.Single(await rt.Store.HistoryAsync(caseId), h => h.Event is NoticeAcknowledged).Event.At);
    }

    [Fact]
    public async Task RunAsync_RetriedRunThatFindsANewStep_LeavesOnlyTheCaseDueRow()
    {
        // Found by the soak: a run's first attempt applied the acknowledgement and published the case as it then stood (its due row at
        // the release deadline); the orchestration never heard back (its process was killed) and called the activity again with the same
        // run, which found the release too. The second attempt removed only the due row from before the run: the release deadline's stayed
        // for ever, a case the reconciler read as overdue on every sweep.
        var rt = new Stores(azurite.ConnectionString);
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 3, 2));
        await rt.AcceptAsync(caseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1), "ack");
        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null, Run: "run-1"));
        var releasedAt = Beijing(2026, 3, 2, 9);
        await rt.AcceptAsync(caseId, new RecordRelease(As(Centre), releasedAt, new CollectedBy(CollectorKind.Family, "张父")), releasedAt, "release");

        await rt.Pending.RunAsync(new ApplyPendingRequest(caseId, null, Run: "run-1"));

        var c = (await rt.Store.LoadAsync(caseId)).Record!.State;
        var dueRows = (await rt.Index.DueBeforeAsync(DateTimeOffset.MaxValue.AddDays(-1), 5000)).Where(d => d.CaseId == caseId).Select(d => d.DueAt);
        Assert.Equal([Handoff.Core.Workflow.CaseWorkflow.NextDueAt(c)!.Value], dueRows);
    }

    private static async Task<string> RegisteredAsync(Stores rt, DateOnly? releaseDate = null)
    {
        var register = rt.Register(UniqueIdNumber(), releaseDate ?? new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(register.CaseId, register, Registered, "reg");
        return register.CaseId;
    }

    /// <summary>Registered on 2026-02-20 for a release on 2026-02-24, acknowledged and released to the family that day.</summary>
    private static async Task<string> ReleasedAsync(Stores rt)
    {
        var caseId = await RegisteredAsync(rt, new DateOnly(2026, 2, 24));
        await rt.ApplyAsync(caseId, new AcknowledgeNotice(As(Office)), Registered.AddHours(1));
        var releasedAt = Beijing(2026, 2, 24, 9);
        await rt.ApplyAsync(caseId, new RecordRelease(As(Centre), releasedAt, new CollectedBy(CollectorKind.Family, "张父")), releasedAt);
        return caseId;
    }
}
