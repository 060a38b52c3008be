using Handoff.Core.Cases;
using Handoff.Core.Notices;
using Handoff.Core.Organisations;
using Handoff.Core.Regions;
using Handoff.Core.Time;

namespace Handoff.Core.Workflow;

/// <summary>
/// The handoff workflow as pure functions: <see cref="Decide"/> turns a command into events (or a rejection),
/// <see cref="Evolve"/> applies an event. Time is the <see cref="WorkflowContext.Now"/> input; nothing here reads a clock or does I/O.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>
    /// Decides what a command does to a case. After the command's own events it also acts on anything due at <c>now</c>
    /// (missed deadlines, escalation climbs), so the outcome does not depend on when the last wake-up ran.
    /// </summary>
    public static Decision Decide(Case? current, CaseCommand command, WorkflowContext context)
    {
        if (command is OpenCase open)
        {
            return current is null ? open.Open(context) : open.Repeat(current);
        }

        if (current is null)
        {
            return Decision.Reject(null, new Rejection(RejectionKind.NotFound, "case-not-found", null, "No such case."));
        }

        var b = new DecisionBuilder(current, context);
        var rejection = command switch
        {
            AcknowledgeNotice x => Acknowledge(b, x),
            RecordRelease x => RecordRelease(b, x),
            RecordReport x => RecordReport(b, x),
            RecordAgreement x => RecordAgreement(b, x),
            CancelRelease x => Cancel(b, x),
            PostponeRelease x => Postpone(b, x),
            RecordPersonFound x => Found(b, x),
            MarkEscalationRead x => MarkRead(b, x),
            Tick => null,
            _ => command.Decide(b),
        };
        if (rejection is not null)
        {
            return Decision.Reject(current, rejection);
        }

        ActOnWhatIsDue(b);
        return b.Build();
    }

    /// <summary>The next instant at which something falls due: an open, firm deadline or an escalation climb. Null when nothing will.</summary>
    public static DateTimeOffset? NextDueAt(Case c)
    {
        var deadlines = c.Deadlines.Where(d => d.Status == DeadlineStatus.Open && !d.Provisional).Select(d => (DateTimeOffset?)d.DueAt);
        var climbs = c.Escalations.Where(e => e.Status == EscalationStatus.Open).Select(e => e.NextClimbAt);
        return deadlines.Concat(climbs).Where(t => t is not null).Min();
    }

    internal static Decision Register(RegisterRelease x, WorkflowContext context)
    {
        if (context.Directory.Find(x.By.OrganisationId) is not { Kind: OrganisationKind.Centre })
        {
            return Decision.Reject(null, Rejection.Forbidden("Only a detention centre may register a release."));
        }

        if (RegistrationProblems(x, context) is [var first, ..])
        {
            return Decision.Reject(null, first);
        }

        var b = new DecisionBuilder(null, context);
        b.Add(new ReleaseRegistered(context.Now, x.By, x.CaseId, x.Person with { Name = Text.TextRules.Clean(x.Person.Name) }, x.By.OrganisationId, x.OfficeId, x.PoliceStationId,
            x.DecisionAuthorityId, x.ReleaseDate, x.ReleaseType, x.RehabilitationYears));
        PlanAfterNotice(b, x.By, acknowledgementDue: true);
        ActOnWhatIsDue(b);
        return b.Build();
    }

    /// <summary>
    /// Every rule a registration breaks, each field checked on its own (a form shows them all at once; the decision refuses with the
    /// first): the name, the three organisations, the years (禁毒法 48, 戒毒条例 37), the release date, and the office at the person's
    /// registered region or residence (禁毒法 33②, 戒毒条例 37②).
    /// </summary>
    public static IReadOnlyList<Rejection> RegistrationProblems(RegisterRelease x, WorkflowContext context)
    {
        var problems = new List<Rejection>();
        if (Text.TextRules.Name(x.Person.Name) is { } nameRule)
        {
            problems.Add(Rejection.Invalid("person.name", "invalid-name", nameRule));
        }

        var directory = context.Directory;
        var office = directory.Find(x.OfficeId);
        if (office is not { Kind: OrganisationKind.CommunityOffice })
        {
            problems.Add(Rejection.Invalid("receivingOfficeId", "unknown-office", "must name a community-office in the directory"));
        }

        if (directory.Find(x.PoliceStationId) is not { Kind: OrganisationKind.PoliceStation } police)
        {
            problems.Add(Rejection.Invalid("policeStationId", "unknown-police-station", "must name a police-station in the directory"));
        }
        else if (!ServesPerson(police.Region, x.Person.RegisteredRegion, x.Person.ResidenceRegion))
        {
            // 戒毒条例 34: the centre notifies "其户籍所在地或者现居住地公安派出所" to collect the person.
            problems.Add(Rejection.Invalid("policeStationId", "police-not-at-residence",
                "must be a police station of the person's registered region or residence region (戒毒条例 34)"));
        }

        if (directory.Find(x.DecisionAuthorityId) is not { Kind: OrganisationKind.DecisionAuthority })
        {
            problems.Add(Rejection.Invalid("decisionAuthorityId", "unknown-decision-authority", "must name a decision-authority in the directory"));
        }

        if (x.RehabilitationYears is < 0 or > LegalPeriods.MaxRehabilitationYears)
        {
            problems.Add(Rejection.Invalid("rehabilitationYears", "rehabilitation-years-range",
                "must be 0–3: community rehabilitation is at most three years (禁毒法 48, 戒毒条例 37)"));
        }

        var today = ChinaTime.LocalDate(context.Now);
        if (x.ReleaseDate < today)
        {
            problems.Add(Rejection.Invalid("releaseDate", "release-date-past", "must not be before today (Asia/Shanghai)"));
        }
        else if (x.ReleaseDate > today.AddYears(LegalPeriods.MaxYearsAhead))
        {
            problems.Add(Rejection.Invalid("releaseDate", "release-date-too-far",
                "must be within 3 years: a 2-year term plus at most 1 year's extension (禁毒法 47)"));
        }

        // 禁毒法 33② / 戒毒条例 37②: rehabilitation is carried out where the person is registered, or where they live.
        if (office is { Kind: OrganisationKind.CommunityOffice } && x.RehabilitationYears > 0
            && !ServesPerson(office.Region, x.Person.RegisteredRegion, x.Person.ResidenceRegion))
        {
            problems.Add(Rejection.Invalid("receivingOfficeId", "office-not-at-residence",
                "must be an office in the person's registered region or residence region (戒毒条例 37)"));
        }

        return problems;
    }

    internal static Decision RepeatRegistration(Case current, RegisterRelease x) =>
        current.Person.IdNumberLookup == x.Person.IdNumberLookup && current.CentreId == x.By.OrganisationId
        && current.ReleaseDate == x.ReleaseDate && current.OfficeId == x.OfficeId
            ? Decision.Accept(current, [], [])
            : Decision.Reject(current, Rejection.Conflict("case-exists", $"Case {current.CaseId} already exists with other details."));

    internal static bool ServesPerson(RegionCode officeRegion, string registered, string residence) =>
        new[] { registered, residence }.Any(r =>
            RegionCode.TryParse(r, out var person)
            && (officeRegion.IsWithin(person.Value.ScopePrefix) || person.Value.IsWithin(officeRegion.ScopePrefix)));

    /// <summary>Sets the notice, acknowledgement, release, report and agreement deadlines for the planned release date.</summary>
    internal static void PlanAfterNotice(DecisionBuilder b, Actor by, bool acknowledgementDue, bool planNotice = true)
    {
        var c = b.State;
        if (planNotice)
        {
            var notice = DeadlinePlanner.Notice(c.ReleaseDate, b.Now);
            b.SetDeadline(by, notice);
            if (notice.Status == DeadlineStatus.Missed && !HasOpen(c, EscalationKind.LateNotice))
            {
                // 戒毒条例 34: registered less than 3 days ahead. It can never be remedied, so it does not climb like a missed step: the
                // centre and the supervisor above it are told at once, and it ends when the office acknowledges or the person is released.
                OpenAsNotice(b, EscalationKind.LateNotice);
            }
        }

        var officePolicy = b.Context.PolicyOf(c.OfficeId);
        if (acknowledgementDue)
        {
            b.SetDeadline(by, DeadlinePlanner.Acknowledgement(b.Now, b.Context.Calendar, officePolicy));
        }

        b.SetDeadline(by, DeadlinePlanner.Release(c.ReleaseDate));
        if (c.RehabilitationYears > 0)
        {
            var report = DeadlinePlanner.Report(c.ReleaseDate, provisional: true, b.Context.Calendar);
            b.SetDeadline(by, report);
            b.SetDeadline(by, DeadlinePlanner.Agreement(report.LastDay, provisional: true, b.Context.Calendar, officePolicy));
        }
    }

    private static Rejection? Acknowledge(DecisionBuilder b, AcknowledgeNotice x)
    {
        var c = b.State;
        if (x.By.OrganisationId != c.OfficeId)
        {
            return Rejection.Forbidden("Only the receiving office acknowledges the release notice.");
        }

        if (c.AcknowledgedAt is not null)
        {
            return null;
        }

        if (c.State == CaseState.Cancelled)
        {
            return Rejection.Conflict("case-cancelled", "The release was cancelled; there is nothing to acknowledge.");
        }

        b.Add(new NoticeAcknowledged(b.Now, x.By));
        b.SetDeadline(x.By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Acknowledgement)!, b.Now, b.Now));
        Resolve(b, x.By, "执行地已签收出所衔接通报", EscalationKind.LateNotice, EscalationKind.NotAcknowledged);
        return null;
    }

    private static Rejection? RecordRelease(DecisionBuilder b, RecordRelease x)
    {
        var c = b.State;
        if (x.By.OrganisationId != c.CentreId)
        {
            return Rejection.Forbidden("Only the releasing centre records the release.");
        }

        if (x.CollectedBy.Name is not null && !string.IsNullOrWhiteSpace(x.CollectedBy.Name) && Text.TextRules.Name(x.CollectedBy.Name) is { } nameRule)
        {
            return Rejection.Invalid("collectedBy.name", "invalid-name", nameRule);
        }

        // The collector's name as stored: cleaned, and none when blank.
        var collectedBy = x.CollectedBy with { Name = string.IsNullOrWhiteSpace(x.CollectedBy.Name) ? null : Text.TextRules.Clean(x.CollectedBy.Name) };
        if (c.ReleasedAt is not null)
        {
            return c.ReleasedAt == x.ReleasedAt && c.CollectedBy == collectedBy
                ? null
                : Rejection.Conflict("already-released", $"The release was already recorded at {c.ReleasedAt:O}.");
        }

        if (c.State == CaseState.Cancelled)
        {
            return Rejection.Conflict("case-cancelled", "The release was cancelled.");
        }

        if (c.OfficeId is null)
        {
            // A file that began with the decision: the office and police station come from the release notice (戒毒条例 34).
            return Rejection.Conflict("release-notice-not-sent", "Send the release notice first (戒毒条例 34): it names the office and the police station.");
        }

        if (Chain.ChainRules.NotAway(c) is { } away)
        {
            return away;
        }

        if (x.ReleasedAt > b.Now + b.Context.Policy.ClockSkewAllowance)
        {
            return Rejection.Invalid("releasedAt", "in-the-future", "must not be in the future");
        }

        if (ChinaTime.LocalDate(x.ReleasedAt) < ChinaTime.LocalDate(c.RegisteredAt))
        {
            return Rejection.Invalid("releasedAt", "before-registration", "must not be before the day the release was registered");
        }

        if (collectedBy.Kind != CollectorKind.None && collectedBy.Name is null)
        {
            return Rejection.Invalid("collectedBy.name", "collector-name-required", "must name who collected the person unless kind is none");
        }

        var released = new ReleaseRecorded(b.Now, x.By, x.ReleasedAt, collectedBy);
        b.Add(released);
        var releaseEvent = b.State.EventCount;
        b.SetDeadline(x.By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Release)!, b.Now, b.Now));
        if (c.RehabilitationYears > 0)
        {
            // 戒毒条例 38: the order is served on release, so the 15 days run from the actual release date.
            var report = DeadlinePlanner.Report(ChinaTime.LocalDate(x.ReleasedAt), provisional: false, b.Context.Calendar);
            b.SetDeadline(x.By, report);
            b.SetDeadline(x.By, DeadlinePlanner.Agreement(report.LastDay, provisional: true, b.Context.Calendar, b.Context.PolicyOf(c.OfficeId)));
        }

        // The letter gives the report deadline just set, not the one counted from the planned date.
        b.Notify(NoticeComposer.ReleaseRecordedNotices(released, b.State, releaseEvent, b.Context.Directory));

        Resolve(b, x.By, "出所情况已登记", EscalationKind.ReleaseNotRecorded);
        Chain.ChainRules.OnRelease(b, x.By);
        // The person has left: the notice's acknowledgement can no longer come before the release, so its escalation ends saying why (the
        // missed deadline stays on the record), as does a late notice's.
        if (c.DeadlineFor(DeadlineStep.Acknowledgement) is { Status: DeadlineStatus.Open } acknowledgement)
        {
            // Released before the office acknowledged, its deadline not yet passed: the step is no longer needed, and must not open an
            // escalation after the release that nobody could resolve.
            b.SetDeadline(x.By, acknowledgement with { Status = DeadlineStatus.Withdrawn });
        }

        Resolve(b, x.By, "人员已出所，签收出所通报的环节已过，不再需要办理（签收逾期仍记录在案）", EscalationKind.NotAcknowledged);
        Resolve(b, x.By, "人员已出所", EscalationKind.LateNotice);
        if (collectedBy.Kind == CollectorKind.None)
        {
            // 出所必接 (戒毒条例 34: 通知……将其领回): nobody at the gate is escalated at once.
            Open(b, EscalationKind.NotCollected, b.Now);
        }

        return null;
    }

    private static Rejection? RecordReport(DecisionBuilder b, RecordReport x)
    {
        var c = b.State;
        if (x.By.OrganisationId != c.OfficeId)
        {
            return Rejection.Forbidden("Only the receiving office records the report.");
        }

        if (c.ReportedAt is not null)
        {
            return c.ReportedAt == x.ReportedAt
                ? null
                : Rejection.Conflict("already-reported", $"The report was already recorded at {c.ReportedAt:O}.");
        }

        if (c.RehabilitationYears == 0)
        {
            return Rejection.Conflict("no-rehabilitation-ordered", "No community rehabilitation was ordered for this release.");
        }

        if (c.State is CaseState.Scheduled or CaseState.Acknowledged)
        {
            return Rejection.Conflict("release-not-recorded", "The centre has not recorded the release yet.");
        }

        if (c.State == CaseState.Cancelled)
        {
            return Rejection.Conflict("case-cancelled", "The release was cancelled.");
        }

        if (x.ReportedAt > b.Now + b.Context.Policy.ClockSkewAllowance)
        {
            return Rejection.Invalid("reportedAt", "in-the-future", "must not be in the future");
        }

        if (x.ReportedAt < c.ReleasedAt)
        {
            return Rejection.Invalid("reportedAt", "before-release", "must not be before the release");
        }

        b.Add(new ReportRecorded(b.Now, x.By, x.ReportedAt));
        b.SetDeadline(x.By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Report)!, x.ReportedAt, b.Now));
        b.SetDeadline(x.By, DeadlinePlanner.Agreement(ChinaTime.LocalDate(x.ReportedAt), provisional: false, b.Context.Calendar, b.Context.PolicyOf(c.OfficeId)));
        Resolve(b, x.By, "人员已到执行地报到", EscalationKind.NotReported, EscalationKind.NotCollected);
        return null;
    }

    private static Rejection? RecordAgreement(DecisionBuilder b, RecordAgreement x)
    {
        var c = b.State;
        if (x.By.OrganisationId != c.OfficeId)
        {
            return Rejection.Forbidden("Only the receiving office records the agreement.");
        }

        if (c.AgreementSignedAt is not null)
        {
            return c.AgreementSignedAt == x.SignedAt
                ? null
                : Rejection.Conflict("already-signed", $"The agreement was already recorded as signed at {c.AgreementSignedAt:O}.");
        }

        if (c.State != CaseState.Reported)
        {
            return Rejection.Conflict("not-reported", "The agreement follows the report (戒毒条例 16); no report is recorded.");
        }

        if (x.SignedAt > b.Now + b.Context.Policy.ClockSkewAllowance)
        {
            return Rejection.Invalid("signedAt", "in-the-future", "must not be in the future");
        }

        if (x.SignedAt < c.ReportedAt)
        {
            return Rejection.Invalid("signedAt", "before-report", "must not be before the report");
        }

        b.Add(new AgreementRecorded(b.Now, x.By, x.SignedAt));
        b.SetDeadline(x.By, DeadlinePlanner.Complete(c.DeadlineFor(DeadlineStep.Agreement)!, x.SignedAt, b.Now));
        Resolve(b, x.By, "社区康复协议已签订", EscalationKind.NoAgreement);
        return null;
    }

    private static Rejection? Cancel(DecisionBuilder b, CancelRelease x)
    {
        var c = b.State;
        if (x.By.OrganisationId != c.CentreId)
        {
            return Rejection.Forbidden("Only the releasing centre cancels a release.");
        }

        if (Text.TextRules.Reason(x.Reason) is { } reasonRule)
        {
            return Rejection.Invalid("reason", "invalid-text", reasonRule);
        }

        if (c.Commitment is not null)
        {
            return Rejection.Conflict("term-governs", "The release follows the term of the decision: it is not withdrawn; a change of the term is proposed to the deciding organ (戒毒条例 33).");
        }

        if (c.State == CaseState.Cancelled)
        {
            return null;
        }

        if (c.ReleasedAt is not null)
        {
            return Rejection.Conflict("already-released", "The person has already been released; a release cannot be withdrawn.");
        }

        b.Add(new ReleaseCancelled(b.Now, x.By, Text.TextRules.CleanNote(x.Reason)));
        foreach (var open in c.Deadlines.Where(d => d.Status == DeadlineStatus.Open))
        {
            b.SetDeadline(x.By, open with { Status = DeadlineStatus.Withdrawn });
        }

        Resolve(b, x.By, "出所已撤销", Enum.GetValues<EscalationKind>());
        return null;
    }

    private static Rejection? Postpone(DecisionBuilder b, PostponeRelease x)
    {
        var c = b.State;
        if (x.By.OrganisationId != c.CentreId)
        {
            return Rejection.Forbidden("Only the releasing centre postpones a release.");
        }

        if (Text.TextRules.Reason(x.Reason) is { } reasonRule)
        {
            return Rejection.Invalid("reason", "invalid-text", reasonRule);
        }

        if (c.Commitment is not null)
        {
            return Rejection.Conflict("term-governs", "The release date follows the term: propose an extension to the deciding organ (禁毒法 47, 戒毒条例 33).");
        }

        if (c.ReleasedAt is not null || c.State == CaseState.Cancelled)
        {
            return Rejection.Conflict("not-scheduled", "Only a scheduled release can be postponed.");
        }

        if (x.NewReleaseDate == c.ReleaseDate)
        {
            return null;
        }

        if (x.NewReleaseDate < c.ReleaseDate)
        {
            return Rejection.Invalid("newReleaseDate", "not-later", "must be later than the current release date; an earlier release is registered anew");
        }

        if (x.NewReleaseDate > c.OriginalReleaseDate.AddYears(LegalPeriods.MaxExtensionYears))
        {
            return Rejection.Invalid("newReleaseDate", "extension-too-long",
                "must be at most one year after the first release date (禁毒法 47: 最长可以延长一年)");
        }

        b.Add(new ReleasePostponed(b.Now, x.By, x.NewReleaseDate, Text.TextRules.CleanNote(x.Reason)));
        Resolve(b, x.By, "出所日期已变更", EscalationKind.ReleaseNotRecorded);

        // A new notice restarts the office's acknowledgement only if it had not acknowledged (or missed) the first one.
        var acknowledgement = c.DeadlineFor(DeadlineStep.Acknowledgement);
        PlanAfterNotice(b, x.By, acknowledgementDue: acknowledgement is { Status: DeadlineStatus.Open });
        return null;
    }

    private static Rejection? Found(DecisionBuilder b, RecordPersonFound x)
    {
        var c = b.State;
        if (x.By.OrganisationId != c.PoliceStationId && x.By.OrganisationId != c.OfficeId)
        {
            return Rejection.Forbidden("Only the police station or the receiving office records that the person was found.");
        }

        if (Text.TextRules.Note(x.Note) is { } noteRule)
        {
            return Rejection.Invalid("note", "invalid-text", noteRule);
        }

        if (c.ReleasedAt is null)
        {
            return Rejection.Conflict("not-released", "The person has not been released.");
        }

        var note = Text.TextRules.CleanNote(x.Note);
        if (c.FoundAt == x.FoundAt)
        {
            return null;
        }

        if (x.FoundAt > b.Now + b.Context.Policy.ClockSkewAllowance)
        {
            return Rejection.Invalid("foundAt", "in-the-future", "must not be in the future");
        }

        if (x.FoundAt < c.ReleasedAt)
        {
            return Rejection.Invalid("foundAt", "before-release", "must not be before the release");
        }

        b.Add(new PersonFound(b.Now, x.By, x.FoundAt, note));
        Resolve(b, x.By, "人员已找到", EscalationKind.NotCollected);
        return null;
    }

    private static Rejection? MarkRead(DecisionBuilder b, MarkEscalationRead x)
    {
        var escalation = b.State.Escalations.FirstOrDefault(e => e.Id == x.EscalationId);
        if (escalation is null)
        {
            return new Rejection(RejectionKind.NotFound, "escalation-not-found", null, "No such escalation.");
        }

        if (escalation.Recipients.All(r => r.OrganisationId != x.By.OrganisationId))
        {
            return Rejection.Forbidden("Only an organisation told of the escalation can mark it read.");
        }

        if (escalation.ReadBy.All(r => r.OrganisationId != x.By.OrganisationId))
        {
            b.Add(new EscalationRead(b.Now, x.By, x.EscalationId));
        }

        return null;
    }
}
