using Handoff.Api.Auth;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.People;
using Handoff.Core.Time;
using Handoff.Storage.Cases;
using Handoff.Storage.Protection;
using Handoff.Workflow;
using Microsoft.DurableTask.Client;

namespace Handoff.SelfHost;

/// <summary>
/// Local runs only: prints the organisations with their dev keys, and registers one sample release from 梅州 to a person
/// registered in 贵阳, a 强制隔离戒毒 decision by 梅州市公安局 for a person registered in 平远县, and a 社区戒毒 order by it for another
/// (idempotent: restarts find the same cases).
/// </summary>
public static class SampleData
{
    public const string SampleIdNumber = "52010219850612004X";

    /// <summary>The sample person whose file begins with the deciding organ's decision (a valid number; invented).</summary>
    public const string SampleDecidedIdNumber = "441426198803150024";

    /// <summary>The sample person ordered into 社区戒毒 (a valid number; invented).</summary>
    public const string SampleOrderedIdNumber = "441426199106200016";

    public static async Task SeedAsync(WebApplication app)
    {
        var keys = app.Services.GetRequiredService<ApiKeyRegistry>();
        var directory = app.Services.GetRequiredService<OrganisationDirectory>();
        if (keys.UsesDevKeys)
        {
            Console.WriteLine();
            Console.WriteLine("Organisations and their development API keys (header X-Api-Key):");
            foreach (var o in directory.All.OrderBy(o => o.Region.Value, StringComparer.Ordinal).ThenBy(o => o.Id, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {o.Region.Value}  {o.Kind,-17} {ApiKeyRegistry.DevKey(o.Id),-32} {o.Name}");
            }
        }

        if (!app.Configuration.GetValue("Handoff:SampleData", app.Environment.IsDevelopment()) || directory.Find("meizhou-centre") is null)
        {
            return;
        }

        var protector = app.Services.GetRequiredService<IdNumberProtector>();
        var time = app.Services.GetRequiredService<WorkflowTime>();
        var store = app.Services.GetRequiredService<CaseStore>();
        var now = time.GetUtcNow();
        const string key = "sample-release-meizhou-guiyang";
        var caseId = CaseIds.ForIdempotencyKey("meizhou-centre", key);
        var (existing, _) = await store.LoadAsync(caseId);
        if (existing is null)
        {
            var person = new PersonRecord("王某（示例）", ResidentIdNumber.Mask(SampleIdNumber), protector.Protect(SampleIdNumber),
                protector.Lookup(SampleIdNumber), "520102", "520102");
            var command = new RegisterRelease(new Actor("meizhou-centre", "sample-data"), caseId, person, "nanming-office", "nanming-police",
                "meizhou-psb", ChinaTime.LocalDate(now).AddDays(10), ReleaseType.Expiry, 3);
            // The command path every registration takes (its inbox row, the person's reservation, the case's orchestration); with a key,
            // so that a restart that raced an earlier one finds the same case.
            var centre = directory.Find("meizhou-centre")!;
            await app.Services.GetRequiredService<CommandService>().RegisterAsync(new CommandRequest(
                app.Services.GetRequiredService<DurableTaskClient>(), centre, caseId, command, key, "sample", now));
        }

        // A second person whose file begins with the decision: 梅州市公安局 decided today, to be delivered to its public-security centre.
        const string decisionKey = "sample-decision-meizhou";
        var decisionCaseId = CaseIds.ForIdempotencyKey("meizhou-psb", decisionKey);
        if (directory.Find("meizhou-psb") is { } organ && directory.Find("meizhou-psb-centre") is not null
            && (await store.LoadAsync(decisionCaseId)).Record is null)
        {
            var person = new PersonRecord("李某（示例）", ResidentIdNumber.Mask(SampleDecidedIdNumber), protector.Protect(SampleDecidedIdNumber),
                protector.Lookup(SampleDecidedIdNumber), "441426", "441426");
            var decision = new Handoff.Core.Chain.RecordDecision(new Actor("meizhou-psb", "sample-data"), decisionCaseId, person, "梅公（禁）决字〔示例〕1号",
                ChinaTime.LocalDate(now), now, "meizhou-psb-centre");
            await app.Services.GetRequiredService<CommandService>().RegisterAsync(new CommandRequest(
                app.Services.GetRequiredService<DurableTaskClient>(), organ, decisionCaseId, decision, decisionKey, "sample", now));
        }

        // A third person: 梅州市公安局 ordered 社区戒毒 today, executed at 平远县大柘镇 (禁毒法 33).
        const string orderKey = "sample-community-order-meizhou";
        var orderCaseId = CaseIds.ForIdempotencyKey("meizhou-psb", orderKey);
        if (directory.Find("meizhou-psb") is { } orderingOrgan && directory.Find("pingyuan-dazhe-office") is not null
            && directory.Find("pingyuan-dazhe-police") is not null && (await store.LoadAsync(orderCaseId)).Record is null)
        {
            var person = new PersonRecord("赵某（示例）", ResidentIdNumber.Mask(SampleOrderedIdNumber), protector.Protect(SampleOrderedIdNumber),
                protector.Lookup(SampleOrderedIdNumber), "441426", "441426");
            var order = new Handoff.Core.Execution.RecordCommunityOrder(new Actor("meizhou-psb", "sample-data"), orderCaseId, person, "梅公（禁）社戒字〔示例〕1号",
                ChinaTime.LocalDate(now), now, "pingyuan-dazhe-office", "pingyuan-dazhe-police");
            await app.Services.GetRequiredService<CommandService>().RegisterAsync(new CommandRequest(
                app.Services.GetRequiredService<DurableTaskClient>(), orderingOrgan, orderCaseId, order, orderKey, "sample", now));
        }

        Console.WriteLine();
        Console.WriteLine($"Sample case {caseId}: 梅州市强制隔离戒毒所 → 南明区 (贵阳), person registered in 520102.");
        Console.WriteLine($"Sample case {decisionCaseId}: 梅州市公安局's 强制隔离戒毒 decision, to be delivered to 梅州市公安局强制隔离戒毒所（示例）.");
        Console.WriteLine($"Sample case {orderCaseId}: 梅州市公安局's 社区戒毒 order, executed at 平远县大柘镇戒毒康复服务中心.");
        Console.WriteLine($"Listening on {string.Join(", ", app.Urls)} — try: curl -H 'X-Api-Key: dev-guiyang-nco' {app.Urls.FirstOrDefault()}/api/cases");
    }
}
