using System.Globalization;
using System.Text.Json;
using Handoff.Core.Cases;
using Handoff.Core.People;
using Handoff.Storage.Cases;

namespace Handoff.Soak;

/// <summary>
/// One case driven through the API along its <see cref="CasePath"/>, as the organisations would: every command with its own
/// <c>Idempotency-Key</c>, retried until answered; a late step sent only once the escalation it is late for can be seen. Records
/// what it sent and when it was answered, for the checks.
/// </summary>
public sealed class CaseScript
{
    /// <summary>How long a late step waits for its escalation to show before it is sent anyway (the check then flags the case).</summary>
    private static readonly TimeSpan EscalationPatience = TimeSpan.FromMinutes(10);

    private readonly List<StepRecord> _steps = [];

    public CaseScript(string run, int number, CasePath path, Parties parties, string centre)
    {
        Number = number;
        Path = path;
        Parties = parties;
        Centre = centre;
        Key = $"{run}-{number}";
        CaseId = CaseIds.ForIdempotencyKey(centre, Key + "-register");
        var first17 = $"{parties.Region}1980{1 + number / 28 % 12:D2}{1 + number % 28:D2}{number / 336 % 1000:D3}";
        IdNumber = first17 + ResidentIdNumber.CheckCharacter(first17);
    }

    public int Number { get; }

    public CasePath Path { get; }

    public Parties Parties { get; }

    public string Centre { get; }

    public string Key { get; }

    public string CaseId { get; }

    public string IdNumber { get; }

    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Why the script could not follow its path (an unexpected answer), if it could not.</summary>
    public string? Error { get; private set; }

    /// <summary>Notes that are not errors of the product, e.g. an escalation the script waited for in vain.</summary>
    public List<string> Notes { get; } = [];

    public bool Finished { get; private set; }

    /// <summary>The workflow instant after which nothing more is due for the case: its final state must hold from then on.</summary>
    public DateTimeOffset? SettlesAt { get; private set; }

    public async Task RunAsync(HandoffClient api, SoakClock clock, TimeSpan grace, int ladder, CancellationToken cancellationToken)
    {
        try
        {
            await FollowAsync(api, clock, grace, ladder, cancellationToken).ConfigureAwait(false);
        }
        catch (ScriptException ex)
        {
            Error = ex.Message;
        }
        catch (Exception ex) when (ex is TimeoutException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Error = $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            SettlesAt ??= clock.Now;
            Finished = true;
        }
    }

    private async Task FollowAsync(HandoffClient api, SoakClock clock, TimeSpan grace, int ladder, CancellationToken ct)
    {
        var office = Parties.Office;
        var c = await StepAsync(api, "register", null, Centre, "/api/releases", RegistrationBody(clock), ct).ConfigureAwait(false);
        var releaseDate = DateOnly.Parse(c.GetProperty("releaseDate").GetString()!, CultureInfo.InvariantCulture);

        if (Path == CasePath.LateAcknowledgement)
        {
            await WaitForEscalationAsync(api, clock, grace, EscalationKind.NotAcknowledged, Due(c, "acknowledgement"), ct).ConfigureAwait(false);
        }

        await StepAsync(api, "ack", DeadlineStep.Acknowledgement, office, $"/api/cases/{CaseId}/acknowledgement", null, ct).ConfigureAwait(false);
        switch (Path)
        {
            case CasePath.Cancelled:
                await StepAsync(api, "cancel", null, Centre, $"/api/cases/{CaseId}/cancellation", new { reason = "撤销（浸泡测试）" }, ct).ConfigureAwait(false);
                return;
            case CasePath.Postponed:
                var later = releaseDate.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                await StepAsync(api, "postpone", null, Centre, $"/api/cases/{CaseId}/postponement", new { newReleaseDate = later, reason = "延长戒毒期限" }, ct)
                    .ConfigureAwait(false);
                break;
            case CasePath.LateRelease:
                await WaitForEscalationAsync(api, clock, grace, EscalationKind.ReleaseNotRecorded, Due(c, "release"), ct).ConfigureAwait(false);
                break;
        }

        var collector = Path == CasePath.NotCollectedFound ? new { kind = "none", name = (string?)null } : new { kind = "family", name = (string?)"张父" };
        var released = await StepAsync(api, "release", DeadlineStep.Release, Centre, $"/api/cases/{CaseId}/release", new { collectedBy = collector }, ct)
            .ConfigureAwait(false);
        if (Path == CasePath.NoRehabilitation)
        {
            return;
        }

        var reportDue = Due(released, "report");
        switch (Path)
        {
            case CasePath.NeverReported:
                // The not-reported escalation opens when the report period ends and climbs once a day to the top of the ladder.
                SettlesAt = reportDue + TimeSpan.FromDays(ladder);
                return;
            case CasePath.LateReport:
                await WaitForEscalationAsync(api, clock, grace, EscalationKind.NotReported, reportDue, ct).ConfigureAwait(false);
                break;
            case CasePath.NotCollectedFound:
                await WaitForEscalationAsync(api, clock, grace, EscalationKind.NotCollected, null, ct).ConfigureAwait(false);
                await StepAsync(api, "found", null, Parties.Police, $"/api/cases/{CaseId}/found", new { note = "已在家中找到" }, ct).ConfigureAwait(false);
                break;
        }

        await StepAsync(api, "report", DeadlineStep.Report, office, $"/api/cases/{CaseId}/report", null, ct).ConfigureAwait(false);
        await StepAsync(api, "agreement", DeadlineStep.Agreement, office, $"/api/cases/{CaseId}/agreement", null, ct).ConfigureAwait(false);
    }

    private object RegistrationBody(SoakClock clock) => new
    {
        person = new { name = $"浸泡{Number}号", idNumber = IdNumber, registeredRegion = Parties.Region, residenceRegion = Parties.Region },
        releaseDate = clock.Today.AddDays(CasePaths.DaysAhead(Path)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        releaseType = "expiry",
        rehabilitationYears = Path == CasePath.NoRehabilitation ? 0 : 3,
        receivingOfficeId = Parties.Office,
        policeStationId = Parties.Police,
        decisionAuthorityId = Parties.Authority,
    };

    private async Task<JsonElement> StepAsync(HandoffClient api, string name, DeadlineStep? completes, string organisation, string path, object? body, CancellationToken ct)
    {
        var answer = await api.CommandAsync(organisation, path, body, $"{Key}-{name}", ct).ConfigureAwait(false);
        _steps.Add(new StepRecord(name, completes, answer.At, answer.Attempts, answer.Describe()));
        return answer.Succeeded ? answer.Body : throw new ScriptException($"{name}: {answer.Describe()}");
    }

    /// <summary>Waits until the case shows an escalation of <paramref name="kind"/> (after its deadline and the orchestration's grace).</summary>
    private async Task WaitForEscalationAsync(HandoffClient api, SoakClock clock, TimeSpan grace, EscalationKind kind, DateTimeOffset? due, CancellationToken ct)
    {
        if (due is { } at)
        {
            await clock.DelayUntilAsync(at, grace, ct).ConfigureAwait(false);
        }

        var name = Kebab(kind);
        var until = TimeProvider.System.GetUtcNow() + EscalationPatience;
        while (TimeProvider.System.GetUtcNow() < until)
        {
            var c = await api.GetAsync(Parties.Office, $"/api/cases/{CaseId}", ct).ConfigureAwait(false)
                ?? throw new ScriptException("the case is gone (404)");
            if (c.GetProperty("escalations").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == name))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
        }

        Notes.Add($"waited {EscalationPatience} for {name} in vain");
    }

    private static DateTimeOffset Due(JsonElement c, string step) =>
        c.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("step").GetString() == step).GetProperty("dueAt").GetDateTimeOffset();

    public static string Kebab(EscalationKind kind) => JsonSerializer.Serialize(kind, Handoff.Core.Serialization.CoreJson.Options).Trim('"');

    private sealed class ScriptException(string message) : Exception(message);
}

/// <summary>A command the script sent: which deadline it completes, and the workflow instant of its final answer.</summary>
public sealed record StepRecord(string Name, DeadlineStep? Completes, DateTimeOffset AnsweredAt, int Attempts, string Answer);
