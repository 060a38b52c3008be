using Handoff.Core.Cases;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;

namespace Handoff.Core.Execution;

/// <summary>
/// The office records a drug test (戒毒条例 19(二)) and its result. A test taken is a contact; a test evaded or refused counts toward the 3
/// of 条例 20 over the whole period; a positive one is drug use during the period (禁毒法 38(二), (四)). Either is reported to the police.
/// </summary>
[WireName("recordTest")]
public sealed record RecordTest(Actor By, DateTimeOffset TestedAt, TestResult Result) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        if (CheckRules.Stops(b, By, TestedAt, CheckKind.Test, Result, "testedAt", out var refusal))
        {
            return refusal;
        }

        var before = b.State.Community!.MissedTests;
        b.Add(new CheckRecorded(b.Now, By, new CommunityCheck(CheckKind.Test, TestedAt, Result)));
        if (Result is TestResult.Missed or TestResult.Refused)
        {
            CommunityRules.Warn(b, "逃避或拒绝检测", before, b.State.Community!.MissedTests, LegalPeriods.MissedTestsLimit);
            CommunityRules.Thresholds(b, By);
        }
        else
        {
            CommunityRules.Contacted(b, By, TestedAt);
            if (Result == TestResult.Positive)
            {
                CommunityRules.Violation(b, By, ViolationGround.DrugUse);
            }
        }

        return null;
    }
}

/// <summary>The office records an interview or home visit with the person: a contact.</summary>
[WireName("recordInterview")]
public sealed record RecordInterview(Actor By, DateTimeOffset InterviewedAt) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        if (CheckRules.Stops(b, By, InterviewedAt, CheckKind.Interview, null, "interviewedAt", out var refusal))
        {
            return refusal;
        }

        b.Add(new CheckRecorded(b.Now, By, new CommunityCheck(CheckKind.Interview, InterviewedAt, null)));
        CommunityRules.Contacted(b, By, InterviewedAt);
        return null;
    }
}

/// <summary>A test or interview was recorded.</summary>
[WireName("checkRecorded")]
public sealed record CheckRecorded(DateTimeOffset At, Actor By, CommunityCheck Check) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with { Community = c.Community! with { Checks = [.. c.Community.Checks, Check] } };
}

/// <summary>What a test and an interview share: who records one, when, and the same check again.</summary>
internal static class CheckRules
{
    /// <summary>
    /// Whether the check stops here: refused (<paramref name="refusal"/> says why), or the same check again (accepted with no events,
    /// <paramref name="refusal"/> null). False when it may be recorded.
    /// </summary>
    public static bool Stops(DecisionBuilder b, Actor by, DateTimeOffset at, CheckKind kind, TestResult? result, string field, out Rejection? refusal)
    {
        var c = b.State;
        refusal = Workflow.Checks.First(
            Workflow.Checks.Party(by, c.OfficeId, "Only the office executing the period records its tests and interviews."),
            CommunityRules.Running(c));
        if (refusal is not null)
        {
            return true;
        }

        if (c.Community!.Checks.FirstOrDefault(x => x.Kind == kind && x.At == at) is { } same)
        {
            refusal = same.Result == result
                ? null
                : Rejection.Conflict("already-recorded", $"A {kind.ToString().ToLowerInvariant()} at {at:O} is already recorded with another result.");
            return true;
        }

        refusal = Workflow.Checks.First(CommunityRules.NotSuspended(c), Workflow.Checks.When(b, field, at, c.ReportedAt, "report"));
        return refusal is not null;
    }
}
