using Azure.Data.Tables;
using Handoff.Core.Cases;
using Handoff.Core.Statistics;
using Handoff.Storage.Statistics;
using Handoff.Testing;
using Handoff.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Statistics;

/// <summary>
/// The supervisors' figures: a step writes its case's facts and marks its county (one request, no read); the catch-up recomputes each
/// dirty county from its facts. Every step counted once, however often it is written, and no count lost when the steps of many cases of
/// one county land at once. Other tests share the table, so each reads the sums (caught up) before and after.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class RegionStatsStoreTests(AzuriteFixture azurite)
{
    private const string County = "441426"; // 平远县, the sample office's county
    private const string Centre = "441400"; // 梅州市, the sample centre's region

    [Fact]
    public async Task Activity_CrashAfterTheCommit_RetryCountsTheStepOnce()
    {
        var rt = new Stores(azurite.ConnectionString);
        var registered = Beijing(2026, 1, 5, 9);
        var before = await MonthAsync(rt, County, "2026-01"); // the release's month
        var centreBefore = await MonthAsync(rt, Centre, "2026-01");
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 1, 19));
        await rt.ApplyAsync(register.CaseId, register, registered, "reg");
        var ack = new CaseStep("ack-1", new AcknowledgeNotice(As(Office)), registered.AddHours(1));

        // Call 1 writes the step into the inbox, call 2 reads the inbox, call 3 is the commit. Crash right after it: the figures are not
        // yet written.
        rt.Faults.CrashAfter(3);
        await Assert.ThrowsAsync<InjectedCrashException>(() => rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, ack)));
        rt.Faults.CrashAfter(0);
        await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, ack));
        await rt.Activity.RunAsync(new ApplyStepRequest(register.CaseId, ack));

        var after = await MonthAsync(rt, County, "2026-01");
        Assert.Equal(before.Registered + 1, after.Registered);
        Assert.Equal(before.Due.GetValueOrDefault(Measure.Acknowledgement) + 1, after.Due.GetValueOrDefault(Measure.Acknowledgement));
        Assert.Equal(before.Met.GetValueOrDefault(Measure.Acknowledgement) + 1, after.Met.GetValueOrDefault(Measure.Acknowledgement));
        var centreAfter = await MonthAsync(rt, Centre, "2026-01"); // the notice is the centre's
        Assert.Equal(centreBefore.Released + 1, centreAfter.Released);
        Assert.Equal(centreBefore.Met.GetValueOrDefault(Measure.Notice) + 1, centreAfter.Met.GetValueOrDefault(Measure.Notice));
    }

    [Fact]
    public async Task ManyCasesOfOneCounty_RecordedAtOnce_AreAllCounted()
    {
        var rt = new Stores(azurite.ConnectionString);
        var registered = Beijing(2026, 1, 13, 9);
        var before = await MonthAsync(rt, County, "2026-01");
        var registrations = Enumerable.Range(0, 20).Select(_ => rt.Register(UniqueIdNumber(), new DateOnly(2026, 1, 26))).ToList();

        await Task.WhenAll(registrations.Select(r => rt.ApplyAsync(r.CaseId, r, registered, "reg")));

        var after = await MonthAsync(rt, County, "2026-01");
        Assert.Equal(before.Registered + 20, after.Registered);
    }

    [Fact]
    public async Task CatchUp_AfterABurstOfStepsInOneCounty_RecomputesItOnce_AndTheSumsCountEveryCase()
    {
        var rt = new Stores(azurite.ConnectionString);
        var before = await MonthAsync(rt, County, "2026-02");
        var registrations = Enumerable.Range(0, 30).Select(_ => rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 2))).ToList();
        await Task.WhenAll(registrations.Select(r => rt.ApplyAsync(r.CaseId, r, Beijing(2026, 1, 20, 9), "reg")));
        var recomputed = rt.Stats.Recomputed;

        var counties = await rt.CatchUp.CatchUpNotedAsync();

        Assert.Equal(2, counties); // the office's county and the centre's
        Assert.Equal(2, rt.Stats.Recomputed - recomputed);
        Assert.Equal(before.Registered + 30, (await MonthAsync(rt, County, "2026-02")).Registered);
        Assert.Equal(0, await rt.Stats.CatchUpAsync("44", County)); // nothing left dirty
    }

    [Fact]
    public async Task CatchUp_AStepThatMarksTheCountyDuringARecomputation_LeavesItDirty()
    {
        // The marker is removed only if it is still the one the recomputation read: a step that wrote facts meanwhile left a newer one.
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 9));
        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 1, 27, 9), "reg");
        var (record, _) = await rt.Store.LoadAsync(register.CaseId);
        await rt.Stats.CatchUpAsync("44", County);
        var table = rt.Clients.Table("RegionStats");
        var marker = "!dirty_" + County;
        await rt.Stats.RecordAsync(record!.State, record.Version);
        var stale = (await table.GetEntityAsync<TableEntity>("f44", marker)).Value.ETag;
        await rt.Stats.RecordAsync(record.State, record.Version); // the step's retry: the marker again, with a new ETag

        await table.DeleteEntityAsync("f44", marker, stale).ContinueWith(_ => { }); // what a recomputation that read the first marker does

        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("f44", marker)).HasValue);
        Assert.Equal(1, await rt.Stats.CatchUpAsync("44", County));
    }

    [Fact]
    public async Task RecordAsync_WritesTheFactsInOneRequest_AndReadsNothing()
    {
        // A step's figures were on the answer path: a read of the facts row, a read of the county's sums and of all its facts, a
        // transaction retried on every conflict — the cost of a step grew with its county (300 ticks at one midnight: 51 s).
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 9));
        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 1, 27, 9), "reg");
        var (record, _) = await rt.Store.LoadAsync(register.CaseId);
        var before = rt.Counter.Total;

        await rt.Stats.RecordAsync(record!.State, record.Version + 1);

        Assert.Equal(1, rt.Counter.Total - before);
    }

    [Fact]
    public async Task ChangeOfPlace_ThePersonCountsWhereExecutedNow_NotAlsoInTheCountyLeft()
    {
        // Found walking the dashboard: after a move the county left kept the person's last facts — its open escalations and 脱失 for ever.
        var rt = new Stores(azurite.ConnectionString);
        var served = Beijing(2026, 2, 2, 10);
        var order = CommunityOrder(new DateOnly(2026, 2, 2), served, Handoff.Storage.Cases.CaseIds.New(), rt.Person(UniqueIdNumber()));
        var before = await MonthAsync(rt, County, "2026-02");
        var guiyangBefore = await MonthAsync(rt, "520100", "2026-02", "52");
        await rt.ApplyAsync(order.CaseId, order, served.AddHours(1));
        await rt.ApplyAsync(order.CaseId, new AcknowledgeNotice(As(Office)), served.AddHours(2));
        await rt.ApplyAsync(order.CaseId, new RecordReport(As(Office), served.AddDays(1)), served.AddDays(1));
        await rt.ApplyAsync(order.CaseId, new RecordAgreement(As(Office), served.AddDays(1).AddHours(1)), served.AddDays(1).AddHours(1));
        Assert.Equal(before.Due.GetValueOrDefault(Measure.Execution) + 1, (await MonthAsync(rt, County, "2026-02")).Due.GetValueOrDefault(Measure.Execution));

        await rt.ApplyAsync(order.CaseId, new Handoff.Core.Execution.SendPlaceChange(As(Office), OtherOffice, OtherPolice, new DateOnly(2026, 2, 9),
            served.AddDays(8)), served.AddDays(8));
        await rt.ApplyAsync(order.CaseId, new Handoff.Core.Execution.AcknowledgePlaceChange(As(OtherOffice)), served.AddDays(8).AddHours(2));

        var left = await MonthAsync(rt, County, "2026-02");
        var arrived = await MonthAsync(rt, "520100", "2026-02", "52");
        Assert.Equal(before.Registered, left.Registered);
        Assert.Equal(before.Due.GetValueOrDefault(Measure.Execution), left.Due.GetValueOrDefault(Measure.Execution));
        Assert.Equal(guiyangBefore.Registered + 1, arrived.Registered);
        Assert.Equal(guiyangBefore.Met.GetValueOrDefault(Measure.Execution) + 1, arrived.Met.GetValueOrDefault(Measure.Execution));
    }

    private static async Task<RegionSums> MonthAsync(Stores rt, string county, string month, string province = "44")
    {
        await rt.Stats.CatchUpAsync(province, province);
        return (await rt.Stats.SumsAsync(province, county)).Where(r => r.Bucket == month).Select(r => r.Sums).FirstOrDefault() ?? new RegionSums();
    }
}
