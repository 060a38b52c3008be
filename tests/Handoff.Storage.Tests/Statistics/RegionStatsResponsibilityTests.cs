using Handoff.Core.Cases;
using Handoff.Core.Statistics;
using Handoff.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Statistics;

/// <summary>
/// Each figure counts against the unit responsible for its step: the centre (梅州市强制隔离戒毒所, 441400) for its release notice, the
/// receiving office's county (平远县, 441426) for the rest; a cancelled registration counts nowhere; a person nobody collected is lost.
/// Other tests share the table, so each compares the sums (caught up) before and after.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class RegionStatsResponsibilityTests(AzuriteFixture azurite)
{
    private const string County = "441426";
    private const string CentreRegion = "441400";

    [Fact]
    public async Task LateNotice_CountsAgainstTheCentre_NotTheReceivingCounty()
    {
        var rt = new Stores(azurite.ConnectionString);
        var county = await TotalAsync(rt, County);
        var centre = await TotalAsync(rt, CentreRegion);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 3)); // one day ahead: late (戒毒条例 34)

        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 2, 2, 9), "reg");

        var countyAfter = await TotalAsync(rt, County);
        var centreAfter = await TotalAsync(rt, CentreRegion);
        Assert.Equal(county.Due.GetValueOrDefault(Measure.Notice), countyAfter.Due.GetValueOrDefault(Measure.Notice));
        Assert.Equal(centre.Due.GetValueOrDefault(Measure.Notice) + 1, centreAfter.Due.GetValueOrDefault(Measure.Notice));
        Assert.Equal(centre.Met.GetValueOrDefault(Measure.Notice), centreAfter.Met.GetValueOrDefault(Measure.Notice));
    }

    [Fact]
    public async Task CancelledRegistration_CountsInNothing()
    {
        var rt = new Stores(azurite.ConnectionString);
        var province = await TotalAsync(rt, "44");
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 20));
        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 2, 2, 9), "reg");
        await rt.ApplyAsync(register.CaseId, new AcknowledgeNotice(As(Office)), Beijing(2026, 2, 2, 10));

        await rt.ApplyAsync(register.CaseId, new CancelRelease(As(Centre), "登记有误"), Beijing(2026, 2, 3, 9));

        var after = await TotalAsync(rt, "44");
        Assert.Equal(province.Registered, after.Registered);
        foreach (var m in Enum.GetValues<Measure>())
        {
            Assert.Equal(province.Due.GetValueOrDefault(m), after.Due.GetValueOrDefault(m));
        }
    }

    [Fact]
    public async Task ReleaseToAnotherProvince_CountsInTheCentresProvince()
    {
        var rt = new Stores(azurite.ConnectionString);
        var province = await TotalAsync(rt, "44");
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 20)) with { OfficeId = OtherOffice, PoliceStationId = OtherPolice, Person = rt.Person(UniqueIdNumber(), "520102") };

        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 3, 2, 9), "reg");

        var after = await TotalAsync(rt, "44");
        Assert.Equal(province.Due.GetValueOrDefault(Measure.Notice) + 1, after.Due.GetValueOrDefault(Measure.Notice));
        Assert.Equal(province.Met.GetValueOrDefault(Measure.Notice) + 1, after.Met.GetValueOrDefault(Measure.Notice));
    }

    [Fact]
    public async Task NobodyCollected_IsLostNow_Once()
    {
        var rt = new Stores(azurite.ConnectionString);
        var before = await NowAsync(rt, County);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 10));
        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 3, 2, 9), "reg");
        await rt.ApplyAsync(register.CaseId, new AcknowledgeNotice(As(Office)), Beijing(2026, 3, 2, 10));

        await rt.ApplyAsync(register.CaseId, new RecordRelease(As(Centre), Beijing(2026, 3, 10, 9), new CollectedBy(CollectorKind.None, null)), Beijing(2026, 3, 10, 9));

        Assert.Equal(before.Lost + 1, (await NowAsync(rt, County)).Lost);
    }

    [Fact]
    public async Task Case_CountsInTheCalendarMonthOfItsRelease()
    {
        // Registered in January (ISO week 2026-W05), released in February: officials report it among February's releases.
        var rt = new Stores(azurite.ConnectionString);
        var before = await BucketAsync(rt, County, "2026-02");
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 9));

        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 1, 27, 9), "reg");

        Assert.Equal(before.Registered + 1, (await BucketAsync(rt, County, "2026-02")).Registered);
    }

    [Fact]
    public async Task Postponement_IntoAnotherMonth_MovesTheCase()
    {
        var rt = new Stores(azurite.ConnectionString);
        var april = await BucketAsync(rt, County, "2026-04");
        var may = await BucketAsync(rt, County, "2026-05");
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 4, 28));
        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 4, 1, 9), "reg");

        await rt.ApplyAsync(register.CaseId, new PostponeRelease(As(Centre), new DateOnly(2026, 5, 6), "延期"), Beijing(2026, 4, 2, 9));

        Assert.Equal(april.Registered, (await BucketAsync(rt, County, "2026-04")).Registered);
        Assert.Equal(may.Registered + 1, (await BucketAsync(rt, County, "2026-05")).Registered);
    }

    [Fact]
    public async Task RowsOfTheEarlierLayout_AreSkipped_AndWeeklySumsRemoved()
    {
        // Facts rows counted by registration week (no Schema) count as absent; a weekly sums row goes at the county's next recomputation.
        var rt = new Stores(azurite.ConnectionString);
        var before = await TotalAsync(rt, County);
        var table = rt.Clients.Table("RegionStats");
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("f44", $"{County}_HO-OLDLAYOUT01")
        {
            ["Version"] = 3,
            ["Week"] = "2026-W10",
            ["Open"] = true,
            ["Facts"] = """{"week":"2026-W10","steps":{},"open":true,"lostNow":true,"found":false,"openEscalations":[]}""",
            ["Line"] = "{}",
        });
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("s44", $"{County}_2026-W10") { ["County"] = County, ["Bucket"] = "2026-W10", ["Sums"] = """{"registered":5}""" });
        await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("f44", "!dirty_" + County) { ["County"] = County });

        var after = await TotalAsync(rt, County);

        Assert.Equal(before.Registered, after.Registered);
        Assert.False((await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("s44", $"{County}_2026-W10")).HasValue);
        Assert.DoesNotContain(await rt.Stats.SumsAsync("44", County), r => r.Bucket == "2026-W10");
    }

    private static async Task<RegionSums> TotalAsync(Stores rt, string prefix)
    {
        await rt.Stats.CatchUpAsync(prefix[..2], prefix[..2]);
        return (await rt.Stats.SumsAsync(prefix[..2], prefix)).Where(r => r.Bucket != "now").Aggregate(new RegionSums(), (s, r) => s.Plus(r.Sums));
    }

    private static async Task<RegionSums> BucketAsync(Stores rt, string county, string bucket)
    {
        await rt.Stats.CatchUpAsync(county[..2], county[..2]);
        return (await rt.Stats.SumsAsync(county[..2], county)).Where(r => r.Bucket == bucket).Aggregate(new RegionSums(), (s, r) => s.Plus(r.Sums));
    }

    private static Task<RegionSums> NowAsync(Stores rt, string county) => BucketAsync(rt, county, "now");
}
