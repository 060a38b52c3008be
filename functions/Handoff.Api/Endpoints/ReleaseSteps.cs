using Handoff.Core.Cases;
using Handoff.Core.Workflow;

namespace Handoff.Api.Endpoints;

/// <summary>
/// The HTTP side of the release handoff's steps, one entry each: route, summary, body, and the mapping of the body to the core command
/// (whose rule is in its file in <c>Handoff.Core/Release</c>). Only what a body's types cannot say is checked here (an enumerated word,
/// a date's format); every rule about a case is the core's.
/// </summary>
public static class ReleaseSteps
{
    public static readonly HandoffRoute AcknowledgeNotice = CaseSteps.Step(nameof(AcknowledgeNotice), HandoffRoutes.Acknowledgement,
        "The receiving office acknowledges the release notice.", (by, _) => new AcknowledgeNotice(by));

    public static readonly HandoffRoute RecordRelease = CaseSteps.Step<RecordReleaseRequest>(nameof(RecordRelease), HandoffRoutes.Release,
        "The centre records the release and who collected the person.", false, (b, by, at) =>
        {
            if (b?.CollectedBy is not { } collected)
            {
                return (null, Rejection.Invalid("collectedBy", "required", "is required: {kind: family|police|office|none, name}"));
            }

            CollectorKind kind;
            switch (collected.Kind)
            {
                case "family": kind = CollectorKind.Family; break;
                case "police": kind = CollectorKind.Police; break;
                case "office": kind = CollectorKind.Office; break;
                case "none": kind = CollectorKind.None; break;
                default: return (null, Rejection.Invalid("collectedBy.kind", "invalid-collector", "must be family, police, office or none"));
            }

            // releasedAt defaults to the instant the request was received.
            return (new RecordRelease(by, b.ReleasedAt ?? at, new CollectedBy(kind, collected.Name)), null);
        });

    public static readonly HandoffRoute RecordReport = CaseSteps.Step<RecordReportRequest>(nameof(RecordReport), HandoffRoutes.Report,
        "The office records that the person reported (戒毒条例 38).", true, (b, by, at) => (new RecordReport(by, b?.ReportedAt ?? at), null),
        absent: new RecordReportRequest(null));

    public static readonly HandoffRoute RecordAgreement = CaseSteps.Step<RecordAgreementRequest>(nameof(RecordAgreement), HandoffRoutes.Agreement,
        "The office records the signed agreement (戒毒条例 16).", true, (b, by, at) => (new RecordAgreement(by, b?.SignedAt ?? at), null),
        absent: new RecordAgreementRequest(null));

    public static readonly HandoffRoute PostponeRelease = CaseSteps.Step<PostponeRequest>(nameof(PostponeRelease), HandoffRoutes.Postponement,
        "The centre moves the release date (at most one year past the first, 禁毒法 47).", false, (b, by, _) =>
            CommandRequests.TryDate(b?.NewReleaseDate, out var date)
                ? (new PostponeRelease(by, date, b!.Reason), null)
                : (null, Rejection.Invalid("newReleaseDate", "invalid-date", "is required, as yyyy-MM-dd")));

    public static readonly HandoffRoute CancelRelease = CaseSteps.Step<CancelRequest>(nameof(CancelRelease), HandoffRoutes.Cancellation,
        "The centre withdraws a release that has not happened.", true, (b, by, _) => (new CancelRelease(by, b?.Reason), null),
        absent: new CancelRequest(null));

    public static readonly HandoffRoute RecordPersonFound = CaseSteps.Step<PersonFoundRequest>(nameof(RecordPersonFound), HandoffRoutes.Found,
        "Police or the office record that a person not collected was found.", true, (b, by, at) => (new RecordPersonFound(by, b?.FoundAt ?? at, b?.Note), null),
        absent: new PersonFoundRequest(null, null));

    /// <summary>The release handoff's steps, in order.</summary>
    public static IReadOnlyList<HandoffRoute> Steps { get; } =
        [AcknowledgeNotice, RecordRelease, RecordReport, RecordAgreement, PostponeRelease, CancelRelease, RecordPersonFound];
}
