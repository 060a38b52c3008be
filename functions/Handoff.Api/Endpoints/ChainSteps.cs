using Handoff.Core.Cases;
using Handoff.Core.Chain;
using Handoff.Core.Workflow;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Handoff.Api.Endpoints;

// Request bodies of the steps before the release. Fields are nullable so that a missing one is reported by name. An instant a step
// happened at defaults to the moment it is recorded.

public sealed record RecordDecisionRequest(PersonRequest? Person, string? DecisionNumber, string? DecidedOn, DateTimeOffset? ServedAt, string? CentreId);

public sealed record IntakeRequest(DateTimeOffset? IntakeAt);

public sealed record RefusalRequest(string? Reason);

public sealed record RedirectDeliveryRequest(string? CentreId, string? Reason);

public sealed record NotifiedRequest(DateTimeOffset? NotifiedAt);

public sealed record TransferRequest(string? ToCentreId, DateTimeOffset? TransferredAt);

public sealed record ReceptionRequest(DateTimeOffset? ReceivedAt, string? Documents, string? Injuries);

public sealed record EscapeRequest(DateTimeOffset? EscapedAt);

public sealed record MedicalLeaveRequest(DateTimeOffset? LeftAt, string? Reason);

public sealed record ReturnRequest(DateTimeOffset? ReturnedAt);

public sealed record TermProposalRequest(string? Kind, string? NewReleaseDate, string? Reason);

public sealed record TermDecisionRequest(bool? Approved, DateTimeOffset? ServedAt, string? Reason);

public sealed record CommunityChangeRequest(string? OrderNumber, DateTimeOffset? ServedAt, string? OfficeId, string? PoliceStationId);

public sealed record ReleaseNoticeRequest(string? ReceivingOfficeId, string? PoliceStationId, int? RehabilitationYears);

/// <summary>
/// The HTTP side of the chain before the release, in one place: each step is one entry — its route under
/// <see cref="StepPrefix"/>, its body and how the body maps to its core command. The rule is the command's own
/// (<c>Handoff.Core/Chain</c>); the Function App serves every entry through one function (<c>CaseStep</c>) that picks the entry by
/// the route's last segment, so adding a step is a core file and a line here.
/// </summary>
public static class ChainSteps
{
    /// <summary>The route of every step on a case before the release: <c>api/cases/{id}/steps/{step}</c>.</summary>
    public const string StepPrefix = "api/cases/{id}/steps/";

    public const string StepRoute = StepPrefix + "{step}";

    public const string Decisions = "api/decisions";

    public static readonly HandoffRoute RecordDecision = new(nameof(RecordDecision), "POST", Decisions, false, "Chain",
        "The deciding 公安机关 records a 强制隔离戒毒 decision: opens the person's file (禁毒法 38–41, 戒毒条例 25–27).", DecideAsync,
        typeof(RecordDecisionRequest), typeof(CaseView), Status201Created)
    {
        Description = "The term runs two years from the decision (戒毒条例 27①), so the file knows its release date from the start; the "
            + "delivery to the centre (a policy period), and the notices to the family, work unit and 户籍地派出所 within 24 hours (禁毒法 40), are "
            + "deadlines with escalations. A person with an open file: 409 `open-case-exists` without naming it (戒毒条例 7), or `own-open-case` "
            + "when the file is the deciding organ's own. Answers 201 with the case, or 202 with the command's URL.",
        CanAnswerAccepted = true,
        Idempotent = true,
        Problems = [Status400BadRequest, Status403Forbidden, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType],
    };

    public static readonly HandoffRoute RecordIntake = Step<IntakeRequest>(nameof(RecordIntake), "intake",
        "The centre records the intake (入所) of a person delivered to it.", true,
        (b, by, at) => (new RecordIntake(by, b?.IntakeAt ?? at), null));

    public static readonly HandoffRoute RefuseIntake = Step<RefusalRequest>(nameof(RefuseIntake), "intake-refusal",
        "The centre refuses the person delivered to it, with the reason; it goes back to the deciding organ.", false,
        (b, by, _) => (new RefuseIntake(by, b?.Reason), null));

    public static readonly HandoffRoute RedirectDelivery = Step<RedirectDeliveryRequest>(nameof(RedirectDelivery), "delivery",
        "The deciding organ sends the person to another centre (after a refusal).", false,
        (b, by, _) => string.IsNullOrWhiteSpace(b?.CentreId)
            ? (null, Rejection.Invalid("centreId", "required", "is required: the centre to deliver to"))
            : (new RedirectDelivery(by, b.CentreId, b.Reason), null));

    public static readonly HandoffRoute RecordDecisionNotices = Step<NotifiedRequest>(nameof(RecordDecisionNotices), "decision-notices",
        "The deciding organ records that it told the family, work unit and 派出所 (禁毒法 40; 戒毒条例 33).", true,
        (b, by, at) => (new RecordDecisionNotices(by, b?.NotifiedAt ?? at), null));

    public static readonly HandoffRoute RecordTransfer = Step<TransferRequest>(nameof(RecordTransfer), "transfer",
        "The public-security centre transfers the person to a justice centre (戒毒条例 27②).", false,
        (b, by, at) => string.IsNullOrWhiteSpace(b?.ToCentreId)
            ? (null, Rejection.Invalid("toCentreId", "required", "is required: the justice centre receiving the person"))
            : (new RecordTransfer(by, b.ToCentreId, b.TransferredAt ?? at), null));

    public static readonly HandoffRoute RecordReception = Step<ReceptionRequest>(nameof(RecordReception), "reception",
        "The justice centre records the reception, with the documents received and any injury noted.", false,
        (b, by, at) => (new RecordReception(by, b?.ReceivedAt ?? at, b?.Documents, b?.Injuries), null));

    public static readonly HandoffRoute RefuseReception = Step<RefusalRequest>(nameof(RefuseReception), "reception-refusal",
        "The justice centre refuses a transferred person, with the reason; the sending centre keeps them.", false,
        (b, by, _) => (new RefuseReception(by, b?.Reason), null));

    public static readonly HandoffRoute RecordFamilyNotice = Step<NotifiedRequest>(nameof(RecordFamilyNotice), "family-notice",
        "The justice centre records that it told the family in writing of the reception.", true,
        (b, by, at) => (new RecordFamilyNotice(by, b?.NotifiedAt ?? at), null));

    public static readonly HandoffRoute RecordEscape = Step<EscapeRequest>(nameof(RecordEscape), "escape",
        "The centre records an escape: the term's clock stops (戒毒条例 32).", true,
        (b, by, at) => (new RecordEscape(by, b?.EscapedAt ?? at), null));

    public static readonly HandoffRoute RecordReturn = Step<ReturnRequest>(nameof(RecordReturn), "return",
        "The centre records the return after an escape: the days away are added to the term.", true,
        (b, by, at) => (new RecordReturn(by, b?.ReturnedAt ?? at), null));

    public static readonly HandoffRoute RecordMedicalLeave = Step<MedicalLeaveRequest>(nameof(RecordMedicalLeave), "medical-leave",
        "The centre records treatment outside the centre (所外就医): the term runs on (戒毒条例 31).", false,
        (b, by, at) => (new RecordMedicalLeave(by, b?.LeftAt ?? at, b?.Reason), null));

    public static readonly HandoffRoute RecordMedicalReturn = Step<ReturnRequest>(nameof(RecordMedicalReturn), "medical-return",
        "The centre records the return from treatment outside it.", true,
        (b, by, at) => (new RecordMedicalReturn(by, b?.ReturnedAt ?? at), null));

    public static readonly HandoffRoute ProposeTermChange = Step<TermProposalRequest>(nameof(ProposeTermChange), "term-proposal",
        "The centre proposes an extension or an early release (禁毒法 47), or 社区戒毒 for a person out for treatment who cannot return (戒毒条例 31②); the deciding organ has 7 days.", false,
        (b, by, _) =>
        {
            TermChangeKind kind;
            switch (b?.Kind)
            {
                case "extension": kind = TermChangeKind.Extension; break;
                case "early-release": kind = TermChangeKind.EarlyRelease; break;
                case "to-community": return (new ProposeTermChange(by, TermChangeKind.ToCommunity, default, b.Reason), null); // no date: 戒毒条例 31②
                default: return (null, Rejection.Invalid("kind", "invalid-kind", "must be extension, early-release or to-community"));
            }

            return CommandRequests.TryDate(b.NewReleaseDate, out var date)
                ? (new ProposeTermChange(by, kind, date, b.Reason), null)
                : (null, Rejection.Invalid("newReleaseDate", "invalid-date", "is required, as yyyy-MM-dd"));
        });

    public static readonly HandoffRoute DecideTermChange = Step<TermDecisionRequest>(nameof(DecideTermChange), "term-decision",
        "The deciding organ decides the centre's proposal (戒毒条例 33); approved, the release date moves and the office is told.", false,
        (b, by, at) => b?.Approved is { } approved
            ? (new DecideTermChange(by, approved, b.ServedAt ?? at, b.Reason), null)
            : (null, Rejection.Invalid("approved", "required", "is required: true or false")));

    public static readonly HandoffRoute ChangeToCommunityDetox = Step<CommunityChangeRequest>(nameof(ChangeToCommunityDetox), "community-change",
        "The deciding organ approves the change to 社区戒毒 (戒毒条例 31②), naming the office and police station; the term served is credited.", false,
        (b, by, at) =>
        {
            foreach (var (field, value) in new[] { ("orderNumber", b?.OrderNumber), ("officeId", b?.OfficeId), ("policeStationId", b?.PoliceStationId) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    return (null, Rejection.Invalid(field, "required", "is required"));
                }
            }

            return (new ChangeToCommunityDetox(by, b!.OrderNumber!, b.ServedAt ?? at, b.OfficeId!, b.PoliceStationId!), null);
        });

    public static readonly HandoffRoute SendReleaseNotice = Step<ReleaseNoticeRequest>(nameof(SendReleaseNotice), "release-notice",
        "The centre sends the release notice for the date the term sets (戒毒条例 34), naming the office and police station.", false,
        (b, by, _) =>
        {
            foreach (var (field, value) in new[] { ("receivingOfficeId", b?.ReceivingOfficeId), ("policeStationId", b?.PoliceStationId) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    return (null, Rejection.Invalid(field, "required", "is required"));
                }
            }

            return b!.RehabilitationYears is { } years
                ? (new SendReleaseNotice(by, b.ReceivingOfficeId!, b.PoliceStationId!, years), null)
                : (null, Rejection.Invalid("rehabilitationYears", "required", "is required, 0–3"));
        });

    /// <summary>
    /// Every step under <see cref="StepPrefix"/>, in the order of the chain: those before the release, then the community period's
    /// (<see cref="CommunitySteps.Steps"/>).
    /// </summary>
    public static IReadOnlyList<HandoffRoute> Steps { get; } =
    [
        RecordIntake, RefuseIntake, RedirectDelivery, RecordDecisionNotices, RecordTransfer, RecordReception, RefuseReception, RecordFamilyNotice,
        RecordEscape, RecordReturn, RecordMedicalLeave, RecordMedicalReturn, ProposeTermChange, DecideTermChange, ChangeToCommunityDetox, SendReleaseNotice,
        .. CommunitySteps.Steps,
    ];

    /// <summary>The step whose route ends in <paramref name="step"/>, for the Function App's one <c>CaseStep</c> function.</summary>
    public static HandoffRoute? Named(string? step) => Steps.FirstOrDefault(r => r.Route == StepPrefix + step);

    private static Task<IResult> DecideAsync(HandoffRequest r) =>
        CaseSteps.OpenAsync<RecordDecisionRequest>(r, (body, by, key, at, regions, protector) => CommandRequests.DecisionChecked(body, by, key, at, regions, protector));

    private static HandoffRoute Step<TBody>(string name, string step, string summary, bool bodyOptional,
        Func<TBody?, Actor, DateTimeOffset, (CaseCommand? Command, Rejection? Problem)> map)
        where TBody : class =>
        CaseSteps.Step(name, StepPrefix + step, summary, bodyOptional, map) with { Tag = "Chain" };
}
