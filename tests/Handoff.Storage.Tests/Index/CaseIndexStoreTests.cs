using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Index;

[Collection(AzuriteCollection.Name)]
public class CaseIndexStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Query_BySupervisorScope_FindsCasesUnderThePrefixOnly()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 2, 20, 9));

        foreach (var supervisor in new[] { CountySupervisor, CitySupervisor, ProvinceSupervisor })
        {
            Assert.Contains((await rt.Index.QueryAsync(Orgs.Find(supervisor)!, null, null, null, 200)).Cases, s => s.CaseId == register.CaseId);
        }

        var shaoguan = new Organisation("shaoguan-nco", OrganisationKind.Supervisor, RegionCode.Parse("440200"), "韶关市禁毒办");
        var guizhou = new Organisation("guizhou-nco", OrganisationKind.Supervisor, RegionCode.Parse("520000"), "贵州省禁毒办");
        Assert.DoesNotContain((await rt.Index.QueryAsync(shaoguan, null, null, null, 200)).Cases, s => s.CaseId == register.CaseId);
        Assert.DoesNotContain((await rt.Index.QueryAsync(guizhou, null, null, null, 200)).Cases, s => s.CaseId == register.CaseId);
    }

    [Fact]
    public async Task Query_ByParty_SeesOwnCasesOnce_AndFiltersByStateAndOverdue()
    {
        var rt = new Stores(azurite.ConnectionString);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 2, 20, 9));

        var mine = (await rt.Index.QueryAsync(Orgs.Find(Office)!, null, null, null, 200)).Cases;
        Assert.Single(mine, s => s.CaseId == register.CaseId);
        Assert.Contains((await rt.Index.QueryAsync(Orgs.Find(Office)!, "scheduled", false, null, 200)).Cases, s => s.CaseId == register.CaseId);
        Assert.DoesNotContain((await rt.Index.QueryAsync(Orgs.Find(Office)!, "released", null, null, 200)).Cases, s => s.CaseId == register.CaseId);
        Assert.DoesNotContain((await rt.Index.QueryAsync(Orgs.Find(Office)!, null, true, null, 200)).Cases, s => s.CaseId == register.CaseId);
        Assert.DoesNotContain((await rt.Index.QueryAsync(Orgs.Find(OtherCentre)!, null, null, null, 200)).Cases, s => s.CaseId == register.CaseId);
    }

    [Fact]
    public async Task OpenCases_ReadsEveryPage_NotTheFirstOnly()
    {
        // Found walking the pages: with 217 cases the centre's page showed 200 and said nothing; 14 open people could be acted on only
        // through the API.
        var rt = new Stores(azurite.ConnectionString);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
            await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 2, 20, 9));
            ids.Add(register.CaseId);
        }

        var open = await rt.Index.OpenCasesAsync(Orgs.Find(Office)!, pageSize: 2);
        Assert.All(ids, id => Assert.Single(open, s => s.CaseId == id));
    }
}
