using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Testing;
using Microsoft.Extensions.Time.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Index;

[Collection(AzuriteCollection.Name)]
public class CaseIndexStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Query_BySupervisorScope_FindsCasesUnderThePrefixOnly()
    {
        await azurite.ClearQueuesAsync();
        var rt = new Testing.Runtime(azurite.ConnectionString, new FakeTimeProvider(Beijing(2026, 2, 20, 9)));
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(register.CaseId, register);
        await rt.DrainAsync();

        foreach (var supervisor in new[] { CountySupervisor, CitySupervisor, ProvinceSupervisor })
        {
            Assert.Contains(await rt.Index.QueryAsync(Orgs.Find(supervisor)!, null, null), s => s.CaseId == register.CaseId);
        }

        var shaoguan = new Organisation("shaoguan-nco", OrganisationKind.Supervisor, RegionCode.Parse("440200"), "韶关市禁毒办");
        var guizhou = new Organisation("guizhou-nco", OrganisationKind.Supervisor, RegionCode.Parse("520000"), "贵州省禁毒办");
        Assert.DoesNotContain(await rt.Index.QueryAsync(shaoguan, null, null), s => s.CaseId == register.CaseId);
        Assert.DoesNotContain(await rt.Index.QueryAsync(guizhou, null, null), s => s.CaseId == register.CaseId);
    }

    [Fact]
    public async Task Query_ByParty_SeesOwnCasesOnce_AndFiltersByStateAndOverdue()
    {
        await azurite.ClearQueuesAsync();
        var rt = new Testing.Runtime(azurite.ConnectionString, new FakeTimeProvider(Beijing(2026, 2, 20, 9)));
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 3, 2));
        await rt.Runner.ExecuteAsync(register.CaseId, register);
        await rt.DrainAsync();

        var mine = await rt.Index.QueryAsync(Orgs.Find(Office)!, null, null);
        Assert.Single(mine, s => s.CaseId == register.CaseId);
        Assert.Contains(await rt.Index.QueryAsync(Orgs.Find(Office)!, "scheduled", false), s => s.CaseId == register.CaseId);
        Assert.DoesNotContain(await rt.Index.QueryAsync(Orgs.Find(Office)!, "released", null), s => s.CaseId == register.CaseId);
        Assert.DoesNotContain(await rt.Index.QueryAsync(Orgs.Find(Office)!, null, true), s => s.CaseId == register.CaseId);
        Assert.DoesNotContain(await rt.Index.QueryAsync(Orgs.Find(OtherCentre)!, null, null), s => s.CaseId == register.CaseId);
    }
}
