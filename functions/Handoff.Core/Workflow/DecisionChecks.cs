using Handoff.Core.Organisations;
using Handoff.Core.People;
using Handoff.Core.Time;

namespace Handoff.Core.Workflow;

/// <summary>
/// The checks of what a 公安机关's 决定书 carries, written once for the decisions that open or turn a file (a 强制隔离戒毒 decision, a
/// 社区戒毒 order, a change to 社区戒毒): the person's name, the 决定书's number, its day and service, and the place of execution a
/// 社区戒毒 names. Each returns the refusal, or null.
/// </summary>
internal static class DecisionChecks
{
    public static Rejection? Name(PersonRecord person) =>
        Text.TextRules.Name(person.Name) is { } rule ? Rejection.Invalid("person.name", "invalid-name", rule) : null;

    /// <summary>The 决定书's number under <paramref name="field"/>: one line, at most 50 characters.</summary>
    public static Rejection? Number(string field, string? number) =>
        string.IsNullOrWhiteSpace(number) || number.Trim().Length > 50 || number.Any(char.IsControl)
            ? Rejection.Invalid(field, "required", "is required: the 决定书's number, at most 50 characters")
            : null;

    public static Rejection? DecidedInTheFuture(WorkflowContext context, DateOnly decidedOn) => decidedOn > ChinaTime.LocalDate(context.Now)
        ? Rejection.Invalid("decidedOn", "in-the-future", "must not be after today (Asia/Shanghai)")
        : null;

    /// <summary>Served neither in the future nor before the day of the decision (<paramref name="what"/> names it: decision, order).</summary>
    public static Rejection? Served(WorkflowContext context, DateTimeOffset servedAt, DateOnly decidedOn, string what) =>
        servedAt > context.Now + context.Policy.ClockSkewAllowance ? Rejection.Invalid("servedAt", "in-the-future", "must not be in the future")
        : ChinaTime.LocalDate(servedAt) < decidedOn ? Rejection.Invalid("servedAt", "before-decision", $"must not be before the day of the {what}")
        : null;

    /// <summary>
    /// 戒毒条例 13: 社区戒毒 is executed by the 乡镇/街道 of the person's registered region or residence, and its 派出所 is told. The first
    /// refusal of each field.
    /// </summary>
    public static IEnumerable<Rejection> ExecutionPlace(OrganisationDirectory directory, string officeId, string policeStationId, PersonRecord person)
    {
        var office = directory.Find(officeId);
        if (NoticeUnits.UnknownOffice(office) is { } unknown)
        {
            yield return unknown with { Field = "officeId" };
        }
        else if (NoticeUnits.OfficeAway(office, 1, person) is not null)
        {
            yield return Rejection.Invalid("officeId", "office-not-at-residence", "must be the office of the person's registered region or residence region (戒毒条例 13)");
        }

        if (NoticeUnits.Police(directory.Find(policeStationId), person) is { } police)
        {
            yield return police;
        }
    }
}
