using Handoff.Core.Cases;
using Handoff.Core.Execution;
using Handoff.Core.Workflow;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Handoff.Api.Endpoints;

// Request bodies of the community period's steps. Fields are nullable so that a missing one is reported by name. An instant a step
// happened at defaults to the moment it is recorded.

public sealed record CommunityOrderRequest(
    PersonRequest? Person, string? OrderNumber, string? DecidedOn, DateTimeOffset? ServedAt, string? OfficeId, string? PoliceStationId);

public sealed record TestRequest(DateTimeOffset? TestedAt, string? Result);

public sealed record InterviewRequest(DateTimeOffset? InterviewedAt);

public sealed record AbsenceRequest(string? LeftOn, bool? WrittenReport, string? ReturnedOn = null);

public sealed record AbsenceEndRequest(string? ReturnedOn);

public sealed record ViolationReportRequest(DateTimeOffset? ReportedAt);

public sealed record PlaceChangeRequest(string? ToOfficeId, string? ToPoliceStationId, string? RequestedOn, DateTimeOffset? SentAt);

public sealed record SuspensionRequest(string? Reason, DateTimeOffset? SuspendedAt);

public sealed record ResumptionRequest(DateTimeOffset? ResumedAt);

public sealed record TerminationRequest(string? Reason, string? EndedOn);

public sealed record EndMaterialsRequest(DateTimeOffset? SentAt);

public sealed record EndNoticeRequest(DateTimeOffset? ServedAt, DateTimeOffset? OfficeToldAt);

public sealed record RecommitmentRequest(string? DecisionNumber, string? DecidedOn, DateTimeOffset? ServedAt, string? CentreId);

/// <summary>
/// The HTTP side of the community period (社区戒毒 and 社区康复, 戒毒条例 13–24, 37–40), in one place: the order that opens a file, and
/// each step of the period as an entry under <see cref="ChainSteps.StepPrefix"/> — served, like the steps before the release, by the
/// Function App's one <c>CaseStep</c> function. The rules are the commands' own (<c>Handoff.Core/Execution</c>).
/// </summary>
public static class CommunitySteps
{
    public const string Orders = "api/community-orders";

    public static readonly HandoffRoute RecordCommunityOrder = new(nameof(RecordCommunityOrder), "POST", Orders, false, "Community",
        "The 公安机关 orders 社区戒毒 (禁毒法 33, 戒毒条例 13): opens the person's file.", OrderAsync,
        typeof(CommunityOrderRequest), typeof(CaseView), Status201Created)
    {
        Description = "The office of the execution place and the 派出所 are told at once; the office acknowledges. The person reports within 15 "
            + "days of service (戒毒条例 14①; a period at liberty, rolled over holidays), else it counts as a refusal, escalated to the office, the "
            + "派出所 and the deciding organ, and the office must report it to the police (条例 21). Three years from the report (条例 14②). A person "
            + "with an open file: 409 `open-case-exists` without naming it (戒毒条例 7). Answers 201 with the case, or 202 with the command's URL.",
        CanAnswerAccepted = true,
        Idempotent = true,
        Problems = [Status400BadRequest, Status403Forbidden, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType],
    };

    public static readonly HandoffRoute RecordTest = Step<TestRequest>(nameof(RecordTest), "test",
        "The office records a drug test and its result: negative, positive, missed or refused (戒毒条例 19(二), 20).", false,
        (b, by, at) => b?.Result switch
        {
            "negative" => (new RecordTest(by, b.TestedAt ?? at, TestResult.Negative), null),
            "positive" => (new RecordTest(by, b.TestedAt ?? at, TestResult.Positive), null),
            "missed" => (new RecordTest(by, b.TestedAt ?? at, TestResult.Missed), null),
            "refused" => (new RecordTest(by, b.TestedAt ?? at, TestResult.Refused), null),
            _ => (null, Rejection.Invalid("result", "invalid-result", "must be negative, positive, missed or refused")),
        });

    public static readonly HandoffRoute RecordInterview = Step<InterviewRequest>(nameof(RecordInterview), "interview",
        "The office records an interview or home visit: a contact.", true,
        (b, by, at) => (new RecordInterview(by, b?.InterviewedAt ?? at), null));

    public static readonly HandoffRoute RecordAbsence = Step<AbsenceRequest>(nameof(RecordAbsence), "absence",
        "The office records that the person left the county, with the written report of 戒毒条例 19(三) or without it (条例 20); `returnedOn` for one already over.", false,
        (b, by, _) => !CommandRequests.TryDate(b?.LeftOn, out var left)
            ? (null, Rejection.Invalid("leftOn", "invalid-date", "is required, as yyyy-MM-dd"))
            : b!.WrittenReport is not { } written
                ? (null, Rejection.Invalid("writtenReport", "required", "is required: true if the person gave the written report (戒毒条例 19(三))"))
                : b.ReturnedOn is { Length: > 0 } text && !CommandRequests.TryDate(text, out DateOnly _)
                    ? (null, Rejection.Invalid("returnedOn", "invalid-date", "must be a date, yyyy-MM-dd, or left out while the person is away"))
                    : (new RecordAbsence(by, left, written, CommandRequests.TryDate(b.ReturnedOn, out var returned) ? returned : null), null));

    public static readonly HandoffRoute EndAbsence = Step<AbsenceEndRequest>(nameof(EndAbsence), "absence-end",
        "The office records the return from an absence without leave: its days count toward the 30 of 戒毒条例 20.", false,
        (b, by, _) => CommandRequests.TryDate(b?.ReturnedOn, out var back)
            ? (new EndAbsence(by, back), null)
            : (null, Rejection.Invalid("returnedOn", "invalid-date", "is required, as yyyy-MM-dd")));

    public static readonly HandoffRoute ReportViolation = Step<ViolationReportRequest>(nameof(ReportViolation), "violation-report",
        "The office reports the refusal or serious violations found to the police (戒毒条例 21).", true,
        (b, by, at) => (new ReportViolation(by, b?.ReportedAt ?? at), null));

    public static readonly HandoffRoute SendPlaceChange = Step<PlaceChangeRequest>(nameof(SendPlaceChange), "place-change",
        "The office sends the file of a change of the place of execution to the new office (戒毒条例 22).", false,
        (b, by, at) => string.IsNullOrWhiteSpace(b?.ToOfficeId)
            ? (null, Rejection.Invalid("toOfficeId", "required", "is required: the office the person moves to"))
            : !CommandRequests.TryDate(b.RequestedOn, out var requested)
                ? (null, Rejection.Invalid("requestedOn", "invalid-date", "is required, as yyyy-MM-dd: the day the person reported the move"))
                : (new SendPlaceChange(by, b.ToOfficeId, string.IsNullOrWhiteSpace(b.ToPoliceStationId) ? null : b.ToPoliceStationId, requested, b.SentAt ?? at), null));

    public static readonly HandoffRoute AcknowledgePlaceChange = CaseSteps.Step(nameof(AcknowledgePlaceChange), ChainSteps.StepPrefix + "place-change-acknowledgement",
        "The new office acknowledges the file of a change of place: from now on it answers for the person.",
        (by, _) => new AcknowledgePlaceChange(by)) with { Tag = "Community" };

    public static readonly HandoffRoute SuspendCommunity = Step<SuspensionRequest>(nameof(SuspendCommunity), "suspension",
        "Detention or arrest suspends the period (戒毒条例 24②): the person's deadlines stop.", false,
        (b, by, at) => b?.Reason switch
        {
            "detention" => (new SuspendCommunity(by, SuspensionReason.Detention, b.SuspendedAt ?? at), null),
            "arrest" => (new SuspendCommunity(by, SuspensionReason.Arrest, b.SuspendedAt ?? at), null),
            _ => (null, Rejection.Invalid("reason", "invalid-reason", "must be detention or arrest")),
        });

    public static readonly HandoffRoute ResumeCommunity = Step<ResumptionRequest>(nameof(ResumeCommunity), "resumption",
        "Released from custody: the period resumes, its end moved on by the days suspended.", true,
        (b, by, at) => (new ResumeCommunity(by, b?.ResumedAt ?? at), null));

    public static readonly HandoffRoute TerminateCommunity = Step<TerminationRequest>(nameof(TerminateCommunity), "termination",
        "The period ends early: a sentence, a compulsory educational measure (戒毒条例 24①), or death.", false,
        (b, by, at) =>
        {
            CommunityEnd? reason = b?.Reason switch
            {
                "sentenced" => CommunityEnd.Sentenced,
                "education-measure" => CommunityEnd.EducationMeasure,
                "deceased" => CommunityEnd.Deceased,
                _ => null,
            };
            if (reason is null)
            {
                return (null, Rejection.Invalid("reason", "invalid-reason", "must be sentenced, education-measure or deceased"));
            }

            return CommandRequests.TryDate(b!.EndedOn, out var ended)
                ? (new TerminateCommunity(by, reason.Value, ended), null)
                : (null, Rejection.Invalid("endedOn", "invalid-date", "is required, as yyyy-MM-dd"));
        });

    public static readonly HandoffRoute SendEndMaterials = Step<EndMaterialsRequest>(nameof(SendEndMaterials), "end-materials",
        "The office sends the agreement and materials for the 解除 before the end, where its province asks (重庆 §37: 7 working days).", true,
        (b, by, at) => (new SendEndMaterials(by, b?.SentAt ?? at), null));

    public static readonly HandoffRoute RecordEndNotice = Step<EndNoticeRequest>(nameof(RecordEndNotice), "end-notice",
        "The 公安机关 serves the 解除 notice and tells the office (戒毒条例 23, 40: within 7 days of the expiry).", true,
        (b, by, at) => (new RecordEndNotice(by, b?.ServedAt ?? at, b?.OfficeToldAt ?? b?.ServedAt ?? at), null));

    public static readonly HandoffRoute RecordRecommitment = Step<RecommitmentRequest>(nameof(RecordRecommitment), "recommitment",
        "A 公安机关 decides 强制隔离戒毒 for a person in community execution (禁毒法 38): the chain starts again in the same file.", false,
        (b, by, at) =>
        {
            if (string.IsNullOrWhiteSpace(b?.DecisionNumber))
            {
                return (null, Rejection.Invalid("decisionNumber", "required", "is required: the 决定书's number"));
            }

            if (string.IsNullOrWhiteSpace(b.CentreId))
            {
                return (null, Rejection.Invalid("centreId", "required", "is required: the centre it will be executed in"));
            }

            return CommandRequests.TryDate(b.DecidedOn, out var decided)
                ? (new RecordRecommitment(by, b.DecisionNumber, decided, b.ServedAt ?? at, b.CentreId), null)
                : (null, Rejection.Invalid("decidedOn", "invalid-date", "is required, as yyyy-MM-dd"));
        });

    /// <summary>Every step of the community period.</summary>
    public static IReadOnlyList<HandoffRoute> Steps { get; } =
    [
        RecordTest, RecordInterview, RecordAbsence, EndAbsence, ReportViolation, SendPlaceChange, AcknowledgePlaceChange, SuspendCommunity,
        ResumeCommunity, TerminateCommunity, SendEndMaterials, RecordEndNotice, RecordRecommitment,
    ];

    private static Task<IResult> OrderAsync(HandoffRequest r) =>
        CaseSteps.OpenAsync<CommunityOrderRequest>(r, (body, by, key, at, regions, protector) => CommandRequests.CommunityOrderChecked(body, by, key, at, regions, protector));

    private static HandoffRoute Step<TBody>(string name, string step, string summary, bool bodyOptional,
        Func<TBody?, Actor, DateTimeOffset, (CaseCommand? Command, Rejection? Problem)> map)
        where TBody : class =>
        CaseSteps.Step(name, ChainSteps.StepPrefix + step, summary, bodyOptional, map) with { Tag = "Community" };
}
