using Handoff.Core.Cases;
using Handoff.Core.Statistics;
using Handoff.Storage.Statistics;
using Handoff.Testing;
using Handoff.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Statistics;

/// <summary>
/// The supervisors' figures as the case's activity keeps them: every step counted once, however often it is written, and no count lost
/// when the steps of many cases of one county land at once. Other tests share the table, so each reads the sums before and after.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class RegionStatsStoreTests(AzuriteFixture azurite)
{
    private const string County = "441426"; // 平远县, the sample office's county

    [Fact]
    public async Task Activity_CrashAfterTheCommit_RetryCountsTheStepOnce()
    {
        var rt = new Stores(azurite.ConnectionString);
        var registered = Beijing(2026, 1, 5, 9); // 2026-W02
        var week = CaseFacts.IsoWeek(new DateOnly(2026, 1, 5));
        var before = await WeekAsync(rt, week);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 1, 19));
        await rt.ApplyAsync(register.CaseId, register, registered, "reg");
        var ack = new CaseStep("ack-1", new AcknowledgeNotice(As(Office)), registered.AddHours(1));

        // Call 1 reads the case and the step's record; call 2 is the commit. Crash right after it: the figures are not yet written.
        rt.Faults.CrashAfter(2);
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, ack)));
        rt.Faults.CrashAfter(0);
        await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, ack));
        await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, ack));

        var after = await WeekAsync(rt, week);
        Assert.Equal(before.Registered + 1, after.Registered);
        Assert.Equal(before.Due.GetValueOrDefault(Measure.Acknowledgement) + 1, after.Due.GetValueOrDefault(Measure.Acknowledgement));
        Assert.Equal(before.Met.GetValueOrDefault(Measure.Acknowledgement) + 1, after.Met.GetValueOrDefault(Measure.Acknowledgement));
        Assert.Equal(before.Met.GetValueOrDefault(Measure.Notice) + 1, after.Met.GetValueOrDefault(Measure.Notice));
    }

    [Fact]
    public async Task ManyCasesOfOneCounty_RecordedAtOnce_AreAllCounted()
    {
        var rt = new Stores(azurite.ConnectionString);
        var registered = Beijing(2026, 1, 13, 9); // 2026-W03
        var week = CaseFacts.IsoWeek(new DateOnly(2026, 1, 13));
        var before = await WeekAsync(rt, week);
        var registrations = Enumerable.Range(0, 20).Select(_ => rt.Register(UniqueIdNumber(), new DateOnly(2026, 1, 26))).ToList();

        await Task.WhenAll(registrations.Select(r => rt.ApplyAsync(r.CaseId, r, registered, "reg")));

        var after = await WeekAsync(rt, week);
        Assert.Equal(before.Registered + 20, after.Registered);
    }

    [Fact]
    public async Task RecordAsync_AnOlderVersion_NeverReplacesANewerOne()
    {
        var rt = new Stores(azurite.ConnectionString);
        var registered = Beijing(2026, 1, 20, 9); // 2026-W04
        var week = CaseFacts.IsoWeek(new DateOnly(2026, 1, 20));
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 2));
        await rt.ApplyAsync(register.CaseId, register, registered, "reg");
        var (first, _) = await rt.Store.LoadAsync(register.CaseId);
        await rt.ApplyAsync(register.CaseId, new AcknowledgeNotice(As(Office)), registered.AddHours(1));
        var acknowledged = await WeekAsync(rt, week);

        await rt.Stats.RecordAsync(first!.State, first.Version);

        var after = await WeekAsync(rt, week);
        Assert.Equal(acknowledged.Met.GetValueOrDefault(Measure.Acknowledgement), after.Met.GetValueOrDefault(Measure.Acknowledgement));
        Assert.Equal(acknowledged.Registered, after.Registered);
    }

    private static async Task<RegionSums> WeekAsync(Stores rt, string week) =>
        (await rt.Stats.SumsAsync("44", County)).Where(r => r.Bucket == week).Select(r => r.Sums).FirstOrDefault() ?? new RegionSums();
}
