namespace Handoff.Api.Endpoints;

// Request bodies. Fields are nullable so that a missing field is reported by name rather than as an unreadable body.
// The instant a step happened (releasedAt, reportedAt, signedAt, foundAt) defaults to the moment it is recorded.

public sealed record PersonRequest(string? Name, string? IdNumber, string? RegisteredRegion, string? ResidenceRegion);

public sealed record RegisterReleaseRequest(
    PersonRequest? Person,
    string? ReleaseDate,
    string? ReleaseType,
    int? RehabilitationYears,
    string? ReceivingOfficeId,
    string? PoliceStationId,
    string? DecisionAuthorityId);

public sealed record CollectedByRequest(string? Kind, string? Name);

public sealed record RecordReleaseRequest(DateTimeOffset? ReleasedAt, CollectedByRequest? CollectedBy);

public sealed record RecordReportRequest(DateTimeOffset? ReportedAt);

public sealed record RecordAgreementRequest(DateTimeOffset? SignedAt);

public sealed record PostponeRequest(string? NewReleaseDate, string? Reason);

public sealed record CancelRequest(string? Reason);

public sealed record PersonFoundRequest(DateTimeOffset? FoundAt, string? Note);
