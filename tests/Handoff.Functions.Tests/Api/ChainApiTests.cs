using System.Net;
using System.Text.Json;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Api;

/// <summary>The chain before the release through the HTTP API of the self-host, on the engine over Azurite: each new user's steps,
/// refusals answered with the field and the rule.</summary>
[Collection(ApiCollection.Name)]
public class ChainApiTests(ApiFixture api) : ApiTestBase(api)
{
    private const string Authority = "meizhou-psb";
    private const string PublicSecurityCentre = "meizhou-psb-centre";
    private const string JusticeCentre = "meizhou-centre";

    private object DecisionBody(string idNumber, int monthsAgo = 0, string centre = PublicSecurityCentre) => new
    {
        person = new { name = "李某", idNumber, registeredRegion = "441426" },
        decisionNumber = "梅公（禁）决字〔2026〕7号",
        decidedOn = Date(Today.AddMonths(-monthsAgo)),
        servedAt = Api.Time.GetUtcNow().AddMonths(-monthsAgo),
        centreId = centre,
    };

    private async Task<string> DecideAsync(string idNumber, int monthsAgo = 0, string centre = PublicSecurityCentre)
    {
        var (status, body) = await PostAsync(Authority, "/api/decisions", DecisionBody(idNumber, monthsAgo, centre));
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("caseId").GetString()!;
    }

    [Fact]
    public async Task Decision_OpensTheFile_AndTheCentreIsToldOfTheDelivery()
    {
        var id = TestData.UniqueIdNumber();
        var (status, c) = await PostAsync(Authority, "/api/decisions", DecisionBody(id));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("decided", c.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("receivingOfficeId").ValueKind);
        Assert.Equal(Date(Today.AddMonths(24)), c.GetProperty("releaseDate").GetString());
        Assert.Equal(Date(Today.AddMonths(24)), c.GetProperty("commitment").GetProperty("termEnds").GetString());
        Assert.Equal("CommitmentDecided", c.GetProperty("history")[0].GetProperty("type").GetString());
        Assert.Equal("open", Deadline(c, "delivery", "status"));
        Assert.DoesNotContain(id, c.GetRawText());

        var caseId = c.GetProperty("caseId").GetString()!;
        var inbox = await GetAsync(PublicSecurityCentre, "/api/notices?take=500");
        Assert.Contains(inbox.Body.EnumerateArray(), n => n.GetProperty("caseId").GetString() == caseId && n.GetProperty("kind").GetString() == "delivery");
    }

    [Fact]
    public async Task Decision_WithEveryFieldWrong_NamesTheFirstFieldAndItsRule()
    {
        var (status, problem) = await PostAsync(Authority, "/api/decisions", new { person = new { name = "李某", idNumber = "123", registeredRegion = "441426" }, decidedOn = "tomorrow" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("person.idNumber", problem.GetProperty("field").GetString());

        var (byCentre, forbidden) = await PostAsync(JusticeCentre, "/api/decisions", DecisionBody(TestData.UniqueIdNumber()));
        Assert.Equal(HttpStatusCode.Forbidden, byCentre);
        Assert.Equal("forbidden", forbidden.GetProperty("code").GetString());
    }

    [Fact]
    public async Task IntakeRefusal_WithoutAReason_Is400NamingTheField_WithOne_GoesBackToTheDecidingOrgan()
    {
        var caseId = await DecideAsync(TestData.UniqueIdNumber());
        var (missing, problem) = await PostAsync(PublicSecurityCentre, $"/api/cases/{caseId}/steps/intake-refusal", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal(("reason", "required"), (problem.GetProperty("field").GetString(), problem.GetProperty("code").GetString()));

        var (refused, c) = await PostAsync(PublicSecurityCentre, $"/api/cases/{caseId}/steps/intake-refusal", new { reason = "患有严重传染病" });
        Assert.Equal(HttpStatusCode.OK, refused);
        Assert.Contains(c.GetProperty("escalations").EnumerateArray(), e => e.GetProperty("kind").GetString() == "intake-refused");

        var (redirected, after) = await PostAsync(Authority, $"/api/cases/{caseId}/steps/delivery", new { centreId = JusticeCentre, reason = "改送" });
        Assert.Equal(HttpStatusCode.OK, redirected);
        Assert.Equal(JusticeCentre, after.GetProperty("centreId").GetString());
        var (taken, inCentre) = await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/intake");
        Assert.Equal(HttpStatusCode.OK, taken);
        Assert.Equal("inCentre", inCentre.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Transfer_InTheWindow_ThenReception_ThenTheReleaseNotice_StartsTheHandoff()
    {
        var id = TestData.UniqueIdNumber();
        var caseId = await DecideAsync(id, monthsAgo: 4);
        var intakeAt = Api.Time.GetUtcNow().AddMonths(-4).AddHours(2);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(PublicSecurityCentre, $"/api/cases/{caseId}/steps/intake", new { intakeAt })).Status);

        var (wrong, notJustice) = await PostAsync(PublicSecurityCentre, $"/api/cases/{caseId}/steps/transfer", new { toCentreId = PublicSecurityCentre });
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Equal(("toCentreId", "not-justice-centre"), (notJustice.GetProperty("field").GetString(), notJustice.GetProperty("code").GetString()));

        var (sent, transferring) = await PostAsync(PublicSecurityCentre, $"/api/cases/{caseId}/steps/transfer", new { toCentreId = JusticeCentre });
        Assert.Equal(HttpStatusCode.OK, sent);
        Assert.Equal("transferring", transferring.GetProperty("state").GetString());

        var (received, c) = await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/reception", new { documents = "决定书、诊断评估记录" });
        Assert.Equal(HttpStatusCode.OK, received);
        Assert.Equal(JusticeCentre, c.GetProperty("centreId").GetString());

        // The centre holding the person cannot register a second release for them: it acts on the file it holds.
        var (again, own) = await PostAsync(JusticeCentre, "/api/releases", ReleaseBody(id));
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("own-open-case", own.GetProperty("code").GetString());
        Assert.Contains(caseId, own.GetProperty("detail").GetString());

        var (noticed, scheduled) = await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/release-notice",
            new { receivingOfficeId = "pingyuan-dazhe-office", policeStationId = "pingyuan-dazhe-police", rehabilitationYears = 3 });
        Assert.Equal(HttpStatusCode.OK, noticed);
        Assert.Equal("scheduled", scheduled.GetProperty("state").GetString());
        Assert.Equal("pingyuan-dazhe-office", scheduled.GetProperty("receivingOfficeId").GetString());
        Assert.Equal("open", Deadline(scheduled, "acknowledgement", "status"));
        var (acknowledged, _) = await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement");
        Assert.Equal(HttpStatusCode.OK, acknowledged);

        // The sending centre still reads the file it once held.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(PublicSecurityCentre, $"/api/cases/{caseId}")).Status);
    }

    [Fact]
    public async Task TermProposal_AndItsDecision_MoveTheReleaseDate()
    {
        var caseId = await DecideAsync(TestData.UniqueIdNumber(), monthsAgo: 13, centre: JusticeCentre);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/intake", new { intakeAt = Api.Time.GetUtcNow().AddMonths(-13).AddHours(2) })).Status);

        var (badKind, kindProblem) = await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/term-proposal", new { kind = "shorter", newReleaseDate = Date(Today.AddDays(30)), reason = "评估合格" });
        Assert.Equal(HttpStatusCode.BadRequest, badKind);
        Assert.Equal("kind", kindProblem.GetProperty("field").GetString());

        // 所外就医 through its step: the term runs on (戒毒条例 31).
        var (out1, treated) = await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/medical-leave", new { reason = "住院治疗" });
        Assert.Equal(HttpStatusCode.OK, out1);
        Assert.NotEqual(JsonValueKind.Null, treated.GetProperty("commitment").GetProperty("outForTreatmentSince").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/medical-return")).Status);

        var early = Today.AddDays(30);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(JusticeCentre, $"/api/cases/{caseId}/steps/term-proposal", new { kind = "early-release", newReleaseDate = Date(early), reason = "诊断评估合格" })).Status);
        var (decided, c) = await PostAsync(Authority, $"/api/cases/{caseId}/steps/term-decision", new { approved = true });
        Assert.Equal(HttpStatusCode.OK, decided);
        Assert.Equal(Date(early), c.GetProperty("releaseDate").GetString());
        Assert.Equal("early", c.GetProperty("releaseType").GetString());
        Assert.Equal(Date(early.AddDays(-3)), Deadline(c, "notice", "lastDay"));
    }
}
