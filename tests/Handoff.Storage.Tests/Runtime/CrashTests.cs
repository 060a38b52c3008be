using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Storage.Infrastructure;
using Handoff.Testing;
using Microsoft.Extensions.Time.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Runtime;

/// <summary>
/// A crash after every storage call in turn, for each kind of step: the client retries with its idempotency key and the workers
/// keep going. Right after the crash the case is either the old one or the new one, never a mix; in the end the outcome equals the
/// run without a crash, and every notice is in its recipient's inbox exactly once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class CrashTests(AzuriteFixture azurite)
{
    private static readonly string[] Recipients = [Centre, Office, Police, Authority, CountySupervisor, CitySupervisor, ProvinceSupervisor];

    /// <summary>The steps of one handoff; each is run with a crash after each of its storage calls.</summary>
    public static TheoryData<string> Steps => ["register", "release-not-collected", "timer-not-reported"];

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task Step_CrashAfterEveryStorageCall_LeavesOldOrNewAndRecoversExactly(string step)
    {
        var reference = await RunAsync(step, crashAfter: 0);
        Assert.True(reference.Calls > 5, $"the {step} step made only {reference.Calls} storage calls");

        for (var n = 1; n <= reference.Calls; n++)
        {
            var run = await RunAsync(step, crashAfter: n);
            Assert.True(run.Crashed, $"{step}: no crash after call {n} of {reference.Calls}");
            Assert.True(run.ConsistentAfterCrash, $"{step}: half-written case after crashing at call {n}");
            Assert.Equal(reference.Outcome, run.Outcome);
            Assert.Equal(reference.NoticeIds, run.NoticeIds);
            Assert.True(run.NoticeCounts.All(c => c == 1), $"{step}: a notice was doubled after crashing at call {n}");
            Assert.Empty(run.PendingOutbox);
        }
    }

    private sealed record Run(bool Crashed, bool ConsistentAfterCrash, int Calls, string Outcome, List<string> NoticeIds, List<int> NoticeCounts, IReadOnlyList<Notice> PendingOutbox);

    private async Task<Run> RunAsync(string step, int crashAfter)
    {
        await azurite.ClearQueuesAsync();
        var time = new FakeTimeProvider(Beijing(2026, 2, 20, 9));
        var rt = new Testing.Runtime(azurite.ConnectionString, time);
        var register = rt.Register(UniqueIdNumber(), new DateOnly(2026, 2, 24));
        var caseId = register.CaseId;

        async Task Act(Testing.Runtime r)
        {
            switch (step)
            {
                case "register":
                    await r.Runner.ExecuteAsync(caseId, register, "register-key", "register");
                    break;
                case "release-not-collected":
                    await r.Runner.ExecuteAsync(caseId, new RecordRelease(As(Centre), time.GetUtcNow(), new CollectedBy(CollectorKind.None, null)), "release-key", "release");
                    break;
                default:
                    await r.FireTimerAsync(caseId);
                    break;
            }

            await r.DrainAsync();
        }

        // What comes before the step runs without faults.
        if (step != "register")
        {
            await rt.Runner.ExecuteAsync(caseId, register, "register-key", "register");
            await rt.Runner.ExecuteAsync(caseId, new AcknowledgeNotice(As(Office)));
            time.Advance(TimeSpan.FromDays(4));
            if (step == "timer-not-reported")
            {
                await rt.Runner.ExecuteAsync(caseId, new RecordRelease(As(Centre), time.GetUtcNow(), new CollectedBy(CollectorKind.Family, "张父")));
                await rt.DrainAsync();
                time.Advance(TimeSpan.FromDays(16));
            }
            else
            {
                await rt.DrainAsync();
            }
        }

        var versionBefore = (await rt.Store.LoadAsync(caseId)).Record?.Version ?? 0;
        rt.Faults.CrashAfter(crashAfter);
        var crashed = false;
        try
        {
            await Act(rt);
        }
        catch (InjectedCrashException)
        {
        }

        crashed = rt.Faults.Fired;
        var calls = rt.Faults.Calls;
        var consistent = await ConsistentAsync(rt, caseId, versionBefore);

        if (crashed)
        {
            // The process is gone: a new one starts. The client retries its request (the timer, being durable, fires again);
            // messages leased by the dead process reappear after the lease.
            var restarted = new Testing.Runtime(azurite.ConnectionString, time);
            await Act(restarted);

            await Task.Delay(1500); // past the 1 s lease, which Azurite counts in whole seconds
            await restarted.DrainAsync();
            rt = restarted;
        }

        var (record, _) = await rt.Store.LoadAsync(caseId);
        var notices = new List<Notice>();
        foreach (var recipient in Recipients)
        {
            notices.AddRange((await rt.Inbox.ListAsync(recipient, 1000)).Where(n => n.CaseId == caseId));
        }

        var ids = notices.Select(n => n.Id.Replace(caseId, "CASE", StringComparison.Ordinal)).ToList();
        var outcome = string.Join("; ",
            $"state={record!.State.State}", $"events={record.State.EventCount}", $"version={record.Version}",
            string.Join(",", record.State.Deadlines.Select(d => $"{d.Step}:{d.Status}")),
            string.Join(",", record.State.Escalations.Select(e => $"{e.Kind}:{e.Level}:{e.Status}")),
            $"indexed={record.IndexedVersion == record.Version}");
        return new Run(
            crashed, consistent, calls, outcome, ids.Distinct().Order().ToList(),
            ids.GroupBy(i => i).Select(g => g.Count()).ToList(), record.Outbox);
    }

    /// <summary>The case row and its history agree: the row is the old version or the new one, with exactly its history rows.</summary>
    private static async Task<bool> ConsistentAsync(Testing.Runtime rt, string caseId, int versionBefore)
    {
        // The injected crash has fired, so the crashed runtime's own clients read without faults.
        var (record, _) = await rt.Store.LoadAsync(caseId);
        var history = await rt.Store.HistoryAsync(caseId);
        if (record is null)
        {
            return history.Count == 0 && versionBefore == 0;
        }

        return history.Count == record.State.EventCount && (record.Version == versionBefore || record.Version == versionBefore + 1);
    }
}
