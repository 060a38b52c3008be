using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Time;
using Handoff.Core.Workflow;
using N = Handoff.Core.Notices.NoticeComposer;

namespace Handoff.Core.Execution;

/// <summary>
/// The office records that the person left the county: with the written report 戒毒条例 19(三) asks for (leave: nothing counts), or
/// without it (擅自离开: one of the 3 departures of 条例 20, and the days away count toward its 30 from the day of leaving). While the
/// person is away without leave, the day the days away would pass 30 is reached on its own: a serious violation.
/// </summary>
/// <param name="ReturnedOn">For an absence recorded after it ended, the day of return; null while the person is away.</param>
[WireName("recordAbsence")]
public sealed record RecordAbsence(Actor By, DateOnly LeftOn, bool WrittenReport, DateOnly? ReturnedOn = null) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                Checks.Party(By, c.OfficeId, "Only the office executing the period records an absence."),
                CommunityRules.Running(c)) is { } problem)
        {
            return problem;
        }

        var k = c.Community!;
        if (k.Absences.FirstOrDefault(a => a.LeftOn == LeftOn) is { } same)
        {
            return same.WrittenReport == WrittenReport && (ReturnedOn is null || same.ReturnedOn == ReturnedOn)
                ? null
                : Rejection.Conflict("already-recorded", $"An absence from {LeftOn:yyyy-MM-dd} is already recorded.");
        }

        if (k.AwaySince is { } since && ReturnedOn is null)
        {
            return Rejection.Conflict("already-away", $"The person is recorded away without leave since {since:yyyy-MM-dd}: record the return first.");
        }

        var today = ChinaTime.LocalDate(b.Now);
        if (LeftOn > today)
        {
            return Rejection.Invalid("leftOn", "in-the-future", "must not be after today (Asia/Shanghai)");
        }

        if (ReturnedOn is { } back && (back < LeftOn || back > today))
        {
            return Rejection.Invalid("returnedOn", back < LeftOn ? "before-departure" : "in-the-future",
                back < LeftOn ? "must not be before the day of leaving" : "must not be after today (Asia/Shanghai)");
        }

        if (LeftOn < k.StartedOn)
        {
            return Rejection.Invalid("leftOn", "before-report", "must not be before the period began (the report)");
        }

        if (CommunityRules.NotSuspended(c) is { } suspended)
        {
            return suspended;
        }

        var before = k.Departures;
        b.Add(new AbsenceRecorded(b.Now, By, LeftOn, WrittenReport, ReturnedOn));
        if (!WrittenReport)
        {
            var after = b.State.Community!;
            if (ReturnedOn is null)
            {
                b.SetDeadline(By, AwayLimit(LeftOn, after.DaysAwayOn(LeftOn)));
            }

            CommunityRules.Warn(b, "擅自离开执行地", before, after.Departures, LegalPeriods.DeparturesLimit);
            CommunityRules.Thresholds(b, By);
        }

        return null;
    }

    /// <summary>
    /// 戒毒条例 20 "累计超过30日": away since <paramref name="leftOn"/> with <paramref name="daysBefore"/> days from earlier absences, the 31st
    /// day in all begins at 24:00 of the day returned here.
    /// </summary>
    internal static Deadline AwayLimit(DateOnly leftOn, int daysBefore)
    {
        var last = leftOn.AddDays(LegalPeriods.DaysAwayLimit - daysBefore);
        return new Deadline(DeadlineStep.AwayLimit, last, ChinaTime.EndOfDay(last), DeadlineStatus.Open, CalendarConfirmed: true, Provisional: false, null,
            "戒毒条例第二十条：擅自离开执行地所在县（市、区）累计超过30日属严重违反协议");
    }
}

/// <summary>The person is back in the county after leaving without leave: the days away are added up.</summary>
[WireName("endAbsence")]
public sealed record EndAbsence(Actor By, DateOnly ReturnedOn) : CaseCommand(By)
{
    internal override Rejection? Decide(DecisionBuilder b)
    {
        var c = b.State;
        if (Checks.First(
                Checks.Party(By, c.OfficeId, "Only the office executing the period records a return."),
                CommunityRules.Running(c)) is { } problem)
        {
            return problem;
        }

        var k = c.Community!;
        if (k.AwaySince is not { } since)
        {
            return k.Absences.Any(a => a.ReturnedOn == ReturnedOn) ? null : Rejection.Conflict("not-away", "No absence without leave is open.");
        }

        if (ReturnedOn < since)
        {
            return Rejection.Invalid("returnedOn", "before-departure", $"must not be before the day of leaving ({since:yyyy-MM-dd})");
        }

        if (ReturnedOn > ChinaTime.LocalDate(b.Now))
        {
            return Rejection.Invalid("returnedOn", "in-the-future", "must not be after today (Asia/Shanghai)");
        }

        b.Add(new AbsenceEnded(b.Now, By, ReturnedOn));
        if (b.State.DeadlineFor(DeadlineStep.AwayLimit) is { Status: DeadlineStatus.Open } limit)
        {
            b.SetDeadline(By, limit with { Status = DeadlineStatus.Withdrawn });
        }

        // A return entered after the 31st day was reached, or within 3 days (not a departure without leave): what it disproves goes.
        CommunityRules.AbsenceGroundsRechecked(b, By);
        CommunityRules.Thresholds(b, By);
        return null;
    }
}

/// <summary>An absence was recorded.</summary>
[WireName("absenceRecorded")]
public sealed record AbsenceRecorded(DateTimeOffset At, Actor By, DateOnly LeftOn, bool WrittenReport, DateOnly? ReturnedOn = null) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        Community = c.Community! with
        {
            Absences = [.. c.Community.Absences, new CommunityAbsence(LeftOn, WrittenReport, ReturnedOn ?? (WrittenReport ? LeftOn : null))],
        },
    };

    internal override IReadOnlyList<Notice> Notices(Case after, OrganisationDirectory directory) => WrittenReport || ReturnedOn is not null
        ? []
        : N.Step(after, NoticeKind.StepRecorded, At, [after.PoliceStationId], "社区戒毒（康复）人员擅自离开",
            $"{N.Name(directory, after.OfficeId)}通报：{N.Person(after)}于{N.Date(LeftOn)}未经书面报告离开执行地所在县（市、区）（《戒毒条例》第十九条），"
            + $"为第{after.Community!.Departures}次，累计离开{after.Community.DaysAwayOn(Time.ChinaTime.LocalDate(At))}日。请协助查找。", directory);
}

/// <summary>The person returned; the absence's days count toward 戒毒条例 20's 30.</summary>
[WireName("absenceEnded")]
public sealed record AbsenceEnded(DateTimeOffset At, Actor By, DateOnly ReturnedOn) : CaseEvent(At, By)
{
    internal override Case Apply(Case c) => c with
    {
        Community = c.Community! with
        {
            Absences = c.Community.Absences.Select(a => !a.WrittenReport && a.ReturnedOn is null ? a with { ReturnedOn = ReturnedOn } : a).ToList(),
        },
    };
}
