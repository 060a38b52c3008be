using Handoff.Functions.Tests.Client;
using Handoff.Testing;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// The handoff driven only through a C# client that NSwag generates from the committed OpenAPI document at build time, as an
/// integrator would: if the document lies about a status, a type, an enum or a required field, this client throws.
/// </summary>
[Collection(ApiCollection.Name)]
public class GeneratedClientTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task GeneratedClient_DrivesTheWholeHandoff_AndReadsListsTheDirectoryAndProblems()
    {
        var centre = Client("meizhou-centre");
        var office = Client("pingyuan-dazhe-office");

        var directory = await centre.ListOrganisationsAsync();
        Assert.Contains(directory, o => o.Id == "pingyuan-dazhe-office" && o.Kind == OrganisationKind.CommunityOffice);
        Assert.Contains(directory, o => o.Kind == OrganisationKind.Supervisor);

        var idNumber = TestData.UniqueIdNumber();
        var registered = await centre.RegisterReleaseAsync(Registration(idNumber), "client-register-" + idNumber);
        Assert.Equal(CaseState.Scheduled, registered.State);
        Assert.Equal(ReleaseType.Expiry, registered.ReleaseType);
        Assert.Null(registered.ReleasedAt);
        var id = registered.CaseId;

        Assert.Equal(CaseState.Acknowledged, (await office.AcknowledgeNoticeAsync(id)).State);
        var released = await centre.RecordReleaseAsync(id, new RecordReleaseRequest { CollectedBy = new CollectedByRequest { Kind = CollectorKind.Family, Name = "张父" } });
        Assert.Equal(CaseState.Released, released.State);
        Assert.Equal(CollectorKind.Family, released.CollectedBy!.Kind);
        Assert.Equal(CaseState.Reported, (await office.RecordReportAsync(id)).State);
        Assert.Equal(CaseState.AgreementSigned, (await office.RecordAgreementAsync(id, body: new RecordAgreementRequest { SignedAt = Api.Time.GetUtcNow() })).State);

        var read = await office.GetCaseAsync(id);
        Assert.Equal(CaseState.AgreementSigned, read.State);
        Assert.Contains(read.Deadlines, d => d.Step == DeadlineStep.Report && d.Status == DeadlineStatus.Met);
        Assert.Contains(read.History, h => h.Type == "AgreementRecorded");
        Assert.Equal(Today.AddDays(10), DateOnly.FromDateTime(read.ReleaseDate.Date));

        var listed = await AllCasesAsync(office, CaseState.AgreementSigned);
        Assert.Contains(listed, c => c.CaseId == id && c.State == CaseState.AgreementSigned && !c.Overdue);
        var escalations = await Client("guangdong-nco").ListEscalationsAsync(EscalationStatus.Open, take: 200);
        Assert.All(escalations.Items, e => Assert.Equal(EscalationStatus.Open, e.Escalation.Status));
        var notices = await office.ListNoticesAsync(take: 50);
        Assert.Contains(notices, n => n.CaseId == id && n.Kind == NoticeKind.ReleaseNotice);
        Assert.Equal(HealthReportStatus.Healthy, (await Client(null).GetHealthAsync()).Status);

        // Problems arrive typed, with their code.
        var hidden = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => Client("nanming-office").GetCaseAsync(id));
        Assert.Equal(404, hidden.StatusCode);
        Assert.Equal("not-found", hidden.Result.Code);

        var other = TestData.UniqueIdNumber();
        await centre.RegisterReleaseAsync(Registration(other));
        var twice = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => centre.RegisterReleaseAsync(Registration(other)));
        Assert.Equal(409, twice.StatusCode);
        Assert.Equal("own-open-case", twice.Result.Code); // the centre's own repeat: its own case is named
        Assert.Equal("person.idNumber", twice.Result.Field);

        var late = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => centre.PostponeReleaseAsync(id, new PostponeRequest { NewReleaseDate = Date(Today.AddDays(30)) }));
        Assert.Equal(409, late.StatusCode);
    }

    private HandoffClient Client(string? organisation) => new(Api.Client(organisation));

    private RegisterReleaseRequest Registration(string idNumber) => new()
    {
        Person = new PersonRequest { Name = "张某某", IdNumber = idNumber, RegisteredRegion = "441426", ResidenceRegion = "441426" },
        ReleaseDate = Date(Today.AddDays(10)),
        ReleaseType = ReleaseType.Expiry,
        RehabilitationYears = 3,
        ReceivingOfficeId = "pingyuan-dazhe-office",
        PoliceStationId = "pingyuan-dazhe-police",
        DecisionAuthorityId = "meizhou-psb",
    };

    private static new DateTimeOffset Date(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static async Task<List<CaseSummary>> AllCasesAsync(HandoffClient client, CaseState state)
    {
        var cases = new List<CaseSummary>();
        string? token = null;
        do
        {
            var page = await client.ListCasesAsync(state, take: 200, continuationToken: token);
            cases.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return cases;
    }
}
