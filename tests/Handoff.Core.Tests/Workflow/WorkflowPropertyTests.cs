using System.Text.Json;
using CsCheck;
using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Serialization;
using Handoff.Core.Tests.Support;
using Handoff.Testing;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Workflow;

/// <summary>Random sequences of commands and wake-ups, early, late and repeated, against the workflow's invariants.</summary>
public class WorkflowPropertyTests
{
    private static readonly DateTimeOffset Start = Beijing(2026, 2, 20, 9);

    /// <summary>A step: which command (0–26) and how many minutes pass before it (0 to about 3 days; command 26 jumps 400 days).</summary>
    private static readonly Gen<(int Command, int Minutes)> Step = Gen.Select(Gen.Int[0, 26], Gen.Int[0, 4_000]);

    /// <summary>A release registered <c>ReleaseOffset</c> days ahead with <c>Years</c> of 社区康复, or (<c>Years</c> 4) a 社区戒毒 order.</summary>
    private static readonly Gen<(int ReleaseOffset, int Years, (int, int)[] Steps)> Scenario =
        Gen.Select(Gen.Int[0, 20], Gen.Int[0, 4], Step.Array[1, 40]);

    private static CaseCommand Command(int which, Case c, DateTimeOffset now) => which switch
    {
        // The community period's steps (issue 21), by the office holding the file or the one it moves to.
        11 => new Handoff.Core.Execution.RecordTest(As(c.OfficeId ?? Office), now, (TestResult)(now.Minute % 4)),
        12 => new Handoff.Core.Execution.RecordInterview(As(c.OfficeId ?? Office), now),
        13 => new Handoff.Core.Execution.RecordAbsence(As(c.OfficeId ?? Office), DateOnly.FromDateTime(now.ToOffset(Handoff.Core.Time.ChinaTime.Offset).DateTime), now.Minute % 3 == 0),
        14 => new Handoff.Core.Execution.EndAbsence(As(c.OfficeId ?? Office), DateOnly.FromDateTime(now.ToOffset(Handoff.Core.Time.ChinaTime.Offset).DateTime)),
        15 => new Handoff.Core.Execution.ReportViolation(As(c.OfficeId ?? Office), now),
        16 => new Handoff.Core.Execution.SuspendCommunity(As(Police), (SuspensionReason)(now.Minute % 2), now),
        17 => new Handoff.Core.Execution.ResumeCommunity(As(Police), now),
        18 => new Handoff.Core.Execution.SendPlaceChange(As(c.OfficeId ?? Office), c.OfficeId == OtherOffice ? Office : OtherOffice, null,
            DateOnly.FromDateTime(now.ToOffset(Handoff.Core.Time.ChinaTime.Offset).DateTime).AddDays(-(now.Minute % 5)), now),
        19 => new Handoff.Core.Execution.AcknowledgePlaceChange(As(c.Community?.Move?.ToOfficeId ?? OtherOffice)),
        20 => new RecordReport(As(c.Community?.Move?.ToOfficeId ?? Office), now),
        21 => new RecordAgreement(As(c.Community?.Move?.ToOfficeId ?? Office), now),
        22 => now.Minute % 5 == 0
            ? new Handoff.Core.Execution.TerminateCommunity(As(Police), CommunityEnd.Sentenced, DateOnly.FromDateTime(now.ToOffset(Handoff.Core.Time.ChinaTime.Offset).DateTime))
            : new Tick(),
        23 => new Handoff.Core.Execution.RecordEndNotice(As(Authority), now, now),
        24 => new Handoff.Core.Execution.SendEndMaterials(As(c.OfficeId ?? Office), now),
        25 => now.Minute % 7 == 0
            ? new Handoff.Core.Execution.RecordRecommitment(As(Authority), "梅公（禁）决字〔2026〕9号", DateOnly.FromDateTime(now.ToOffset(Handoff.Core.Time.ChinaTime.Offset).DateTime), now, PublicSecurityCentre)
            : new Tick(),
        0 => new AcknowledgeNotice(As(Office)),
        1 => new RecordRelease(As(Centre), now, new CollectedBy(now.Minute % 2 == 0 ? CollectorKind.None : CollectorKind.Family, "家属")),
        2 => new RecordReport(As(Office), now),
        3 => new RecordAgreement(As(Office), now),
        4 => new PostponeRelease(As(Centre), c.ReleaseDate.AddDays(1 + now.Minute % 20), null),
        5 => new CancelRelease(As(Centre), null),
        6 => new RecordPersonFound(As(Police), now, null),
        7 => c.Escalations.Count > 0
            ? new MarkEscalationRead(new Actor(c.Escalations[0].Recipients[0].OrganisationId, "api-key"), c.Escalations[0].Id)
            : new Tick(),
        _ => new Tick(),
    };

    private static CaseRun Play((int ReleaseOffset, int Years, (int, int)[] Steps) scenario)
    {
        var run = new CaseRun();
        var now = Start;
        run.Accept(scenario.Years == 4
            ? CommunityOrder(DateOnly.FromDateTime(Start.DateTime), Start)
            : Register(DateOnly.FromDateTime(Start.DateTime).AddDays(scenario.ReleaseOffset), scenario.Years), now);
        foreach (var (which, minutes) in scenario.Steps)
        {
            // Now and then a long wait: the community period's end and its 解除 notice come within reach.
            now = which == 26 ? now.AddDays(400) : now.AddMinutes(minutes);
            run.Do(Command(which, run.Case, now), now);
        }

        return run;
    }

    [Fact]
    public void Fold_OfAnyHistory_ReproducesTheState()
    {
        Scenario.Sample(scenario =>
        {
            var run = Play(scenario);
            var folded = CaseWorkflow.Fold(run.History);
            Assert.Equal(
                JsonSerializer.Serialize(run.Case, CoreJson.Options),
                JsonSerializer.Serialize(folded, CoreJson.Options));
        }, iter: 300);
    }

    [Fact]
    public void History_SurvivesJsonRoundTrip()
    {
        Scenario.Sample(scenario =>
        {
            var run = Play(scenario);
            var json = JsonSerializer.Serialize(run.History, CoreJson.Options);
            var back = JsonSerializer.Deserialize<List<CaseEvent>>(json, CoreJson.Options)!;
            Assert.Equal(
                JsonSerializer.Serialize(run.Case, CoreJson.Options),
                JsonSerializer.Serialize(CaseWorkflow.Fold(back), CoreJson.Options));
        }, iter: 100);
    }

    [Fact]
    public void Notices_NeverDuplicated_PerIdOrPerEscalationLevelAndRecipient()
    {
        Scenario.Sample(scenario =>
        {
            var run = Play(scenario);
            Assert.Equal(run.Notices.Count, run.Notices.Select(n => n.Id).Distinct().Count());
            var escalationNotices = run.Notices.Where(n => n.Kind == NoticeKind.Escalation).ToList();
            Assert.Equal(
                escalationNotices.Count,
                escalationNotices.Select(n => (n.EscalationId, n.Level, n.RecipientId)).Distinct().Count());
        }, iter: 300);
    }

    [Fact]
    public void Tick_RightAfterAnyDecision_DecidesNothing()
    {
        Scenario.Sample(scenario =>
        {
            var run = Play(scenario);
            var last = run.History[^1].At;
            var tick = CaseWorkflow.Decide(run.Case, new Tick(), Context(last));
            Assert.Empty(tick.Events);
        }, iter: 300);
    }

    [Fact]
    public void Escalations_AtMostOneOpenPerKind_AndResolvedOnesNeverClimb()
    {
        Scenario.Sample(scenario =>
        {
            var run = Play(scenario);
            var open = run.Case.Escalations.Where(e => e.Status == EscalationStatus.Open).ToList();
            Assert.Equal(open.Count, open.Select(e => e.Kind).Distinct().Count());
            Assert.All(run.Case.Escalations.Where(e => e.Status == EscalationStatus.Resolved), e => Assert.Null(e.NextClimbAt));
            Assert.All(run.Case.Escalations, e => Assert.InRange(e.Level, 1, 4));
        }, iter: 300);
    }

    [Fact]
    public void NextDueAt_IsNeverInThePastAfterATick()
    {
        Scenario.Sample(scenario =>
        {
            var run = Play(scenario);
            var now = run.History[^1].At.AddDays(2);
            run.Accept(new Tick(), now);
            var next = CaseWorkflow.NextDueAt(run.Case);
            Assert.True(next is null || next > now, $"next due {next} is not after {now}");
        }, iter: 300);
    }
}
