using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Core.Cases;
using Handoff.Core.People;
using Handoff.Core.Time;
using Handoff.Development;

namespace Handoff.Workflow.Tests.Golden;

/// <summary>
/// The wire format of the orchestration's payloads — inputs, events, activity requests and results — which both hosts write with
/// <see cref="WorkflowJson.Options"/> and which running instances keep in the engine's history: fixed values serialise exactly to
/// the committed golden files (names, order, the <c>type</c> discriminator, enum and date formats), and the files read back into
/// the same values. A change here breaks cases in flight: bump <see cref="CaseOrchestration.SchemaVersion"/> and keep reading the
/// old shape. <c>HANDOFF_UPDATE_GOLDEN=1</c> rewrites the files (then review the diff).
/// </summary>
public sealed class WireFormatTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 2, 9, 30, 15, 250, TimeSpan.FromHours(8));
    private static readonly Actor Centre = new("meizhou-centre", "api-key");
    private static readonly Actor Office = new("pingyuan-dazhe-office", "entra");
    private static readonly Actor Police = new("pingyuan-dazhe-police", "api-key");
    private static readonly Actor Authority = new("meizhou-psb", "api-key");
    private static readonly Actor PsbCentre = new("meizhou-psb-centre", "api-key");

    private static readonly RegisterRelease Registration = new(
        Centre, "HO-0123456789AB",
        new PersonRecord("张某某", "4414**********123X", "v1:c2VjcmV0", "6f1ed002ab5595859014ebf0951522d9", "441426", "441426"),
        "pingyuan-dazhe-office", "pingyuan-dazhe-police", "meizhou-psb", new DateOnly(2026, 3, 31), ReleaseType.Expiry, 3);

    /// <summary>One step of every command type, by its discriminator.</summary>
    private static readonly Dictionary<string, CaseStep> Steps = new()
    {
        ["registerRelease"] = new("c-register", Registration, Received, "sha256:5d41402abc4b2a76", "0639050000000000000_6f1ed002ab5595859014ebf0951522d9"),
        ["acknowledgeNotice"] = new("c-ack", new AcknowledgeNotice(Office), Received),
        ["recordRelease"] = new("c-release", new RecordRelease(Centre, Received.AddDays(29), new CollectedBy(CollectorKind.Family, "张父")), Received.AddDays(29)),
        ["recordReport"] = new("c-report", new RecordReport(Office, Received.AddDays(35)), Received.AddDays(35).AddMinutes(3), "sha256:7d793037a0760186"),
        ["recordAgreement"] = new("c-agreement", new RecordAgreement(Office, Received.AddDays(36)), Received.AddDays(36)),
        ["cancelRelease"] = new("c-cancel", new CancelRelease(Centre, "决定撤销"), Received),
        ["postponeRelease"] = new("c-postpone", new PostponeRelease(Centre, new DateOnly(2026, 4, 30), null), Received),
        ["recordPersonFound"] = new("c-found", new RecordPersonFound(Police, Received.AddDays(30), "在家中找到"), Received.AddDays(30)),
        ["markEscalationRead"] = new("c-read", new MarkEscalationRead(Office, "HO-0123456789AB-E2"), Received),
        ["tick"] = new("t5f0c2b0e9d7a4e8c9b1a2d3e4f5a6b7c", new Tick(), Received.AddDays(46)),
        ["recordDecision"] = new("c-decision", new Handoff.Core.Chain.RecordDecision(Authority, "HO-0123456789AC", Registration.Person, "梅公（禁）决字〔2026〕15号",
            new DateOnly(2026, 3, 1), Received.AddHours(-20), "meizhou-psb-centre"), Received, "sha256:1a2b3c4d5e6f7081", "0639050000000000000_6f1ed002ab5595859014ebf0951522d9"),
        ["recordIntake"] = new("c-intake", new Handoff.Core.Chain.RecordIntake(PsbCentre, Received.AddHours(-2)), Received),
        ["refuseIntake"] = new("c-refuse-intake", new Handoff.Core.Chain.RefuseIntake(PsbCentre, "患有严重疾病"), Received),
        ["redirectDelivery"] = new("c-redirect", new Handoff.Core.Chain.RedirectDelivery(Authority, "meizhou-centre", "改送"), Received),
        ["recordDecisionNotices"] = new("c-notices", new Handoff.Core.Chain.RecordDecisionNotices(Authority, Received.AddHours(-1)), Received),
        ["recordTransfer"] = new("c-transfer", new Handoff.Core.Chain.RecordTransfer(PsbCentre, "meizhou-centre", Received.AddDays(100)), Received.AddDays(100)),
        ["recordReception"] = new("c-reception", new Handoff.Core.Chain.RecordReception(Centre, Received.AddDays(100).AddHours(5), "决定书", null), Received.AddDays(100).AddHours(5)),
        ["refuseReception"] = new("c-refuse-reception", new Handoff.Core.Chain.RefuseReception(Centre, "怀孕"), Received.AddDays(100)),
        ["recordFamilyNotice"] = new("c-family", new Handoff.Core.Chain.RecordFamilyNotice(Centre, Received.AddDays(101)), Received.AddDays(101)),
        ["recordEscape"] = new("c-escape", new Handoff.Core.Chain.RecordEscape(Centre, Received.AddDays(200)), Received.AddDays(200)),
        ["recordReturn"] = new("c-return", new Handoff.Core.Chain.RecordReturn(Centre, Received.AddDays(210)), Received.AddDays(210)),
        ["recordMedicalLeave"] = new("c-medical-leave", new Handoff.Core.Chain.RecordMedicalLeave(Centre, Received.AddDays(300), "住院治疗"), Received.AddDays(300)),
        ["recordMedicalReturn"] = new("c-medical-return", new Handoff.Core.Chain.RecordMedicalReturn(Centre, Received.AddDays(320)), Received.AddDays(320)),
        ["proposeTermChange"] = new("c-proposal", new Handoff.Core.Chain.ProposeTermChange(Centre, TermChangeKind.Extension, new DateOnly(2028, 9, 1), "诊断评估未达标"), Received.AddDays(600)),
        ["decideTermChange"] = new("c-term-decision", new Handoff.Core.Chain.DecideTermChange(Authority, true, Received.AddDays(603), null), Received.AddDays(603)),
        ["changeToCommunityDetox"] = new("c-community-change", new Handoff.Core.Chain.ChangeToCommunityDetox(Authority, "梅公（禁）变字〔2026〕2号", Received.AddDays(400),
            "pingyuan-dazhe-office", "pingyuan-dazhe-police"), Received.AddDays(400)),
        ["sendReleaseNotice"] = new("c-release-notice", new Handoff.Core.Chain.SendReleaseNotice(Centre, "pingyuan-dazhe-office", "pingyuan-dazhe-police", 3), Received.AddDays(700)),
        ["recordCommunityOrder"] = new("c-order", new Handoff.Core.Execution.RecordCommunityOrder(Authority, "HO-0123456789AD", Registration.Person, "平公（禁）社戒字〔2026〕8号",
            new DateOnly(2026, 3, 1), Received.AddHours(-20), "pingyuan-dazhe-office", "pingyuan-dazhe-police"), Received, "sha256:2b3c4d5e6f708192", "0639050000000000000_6f1ed002ab5595859014ebf0951522d9"),
        ["recordTest"] = new("c-test", new Handoff.Core.Execution.RecordTest(Office, Received.AddDays(40), TestResult.Missed), Received.AddDays(40)),
        ["recordInterview"] = new("c-interview", new Handoff.Core.Execution.RecordInterview(Office, Received.AddDays(41)), Received.AddDays(41)),
        ["recordAbsence"] = new("c-absence", new Handoff.Core.Execution.RecordAbsence(Office, new DateOnly(2026, 5, 1), false), Received.AddDays(61)),
        ["endAbsence"] = new("c-absence-end", new Handoff.Core.Execution.EndAbsence(Office, new DateOnly(2026, 5, 10)), Received.AddDays(70)),
        ["reportViolation"] = new("c-violation", new Handoff.Core.Execution.ReportViolation(Office, Received.AddDays(71)), Received.AddDays(71)),
        ["sendPlaceChange"] = new("c-move", new Handoff.Core.Execution.SendPlaceChange(Office, "guiyang-office", "guiyang-police", new DateOnly(2026, 6, 1), Received.AddDays(92)),
            Received.AddDays(92)),
        ["acknowledgePlaceChange"] = new("c-move-ack", new Handoff.Core.Execution.AcknowledgePlaceChange(new Actor("guiyang-office", "api-key")), Received.AddDays(93)),
        ["suspendCommunity"] = new("c-suspend", new Handoff.Core.Execution.SuspendCommunity(Police, SuspensionReason.Detention, Received.AddDays(120)), Received.AddDays(120)),
        ["resumeCommunity"] = new("c-resume", new Handoff.Core.Execution.ResumeCommunity(Police, Received.AddDays(135)), Received.AddDays(135)),
        ["terminateCommunity"] = new("c-terminate", new Handoff.Core.Execution.TerminateCommunity(Police, CommunityEnd.Sentenced, new DateOnly(2027, 3, 1)), Received.AddDays(365)),
        ["sendEndMaterials"] = new("c-end-materials", new Handoff.Core.Execution.SendEndMaterials(Office, Received.AddDays(1090)), Received.AddDays(1090)),
        ["recordEndNotice"] = new("c-end-notice", new Handoff.Core.Execution.RecordEndNotice(Authority, Received.AddDays(1100), Received.AddDays(1101)), Received.AddDays(1101)),
        ["recordRecommitment"] = new("c-recommit", new Handoff.Core.Execution.RecordRecommitment(Authority, "梅公（禁）决字〔2026〕99号", new DateOnly(2026, 9, 1),
            Received.AddDays(183), "meizhou-psb-centre"), Received.AddDays(183)),
    };

    public static TheoryData<string> CommandTypes() => [.. Steps.Keys];

    [Fact]
    public void Steps_CoverEveryCommandType()
    {
        // Declared on the base type, or by a command written in one place with its rule (a WireName the JSON conventions register).
        var declared = WorkflowJson.Options.GetTypeInfo(typeof(CaseCommand)).PolymorphismOptions!.DerivedTypes.Select(d => (string)d.TypeDiscriminator!).Order();
        Assert.Equal(declared, Steps.Keys.Order());
        Assert.All(Steps, s => Assert.Equal(s.Key, Discriminator(s.Value.Command)));
    }

    [Theory]
    [MemberData(nameof(CommandTypes))]
    public void CaseStep_OfEachCommandType_MatchesItsGoldenFile(string type) => AssertGolden($"step-{type}", Steps[type]);

    [Fact]
    public void OrchestrationInput_OfANewCase_MatchesItsGoldenFile() => AssertGolden("orchestration-input", new CaseOrchestrationInput(
        CaseOrchestration.SchemaVersion, Registration.CaseId,
        new WorkflowClock(new DateTimeOffset(2026, 12, 1, 21, 27, 3, 125, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8)), 43200),
        TimeSpan.FromSeconds(1), Registration: null, Progress: null, Retry: new ApplyRetry()));

    [Fact]
    public void OrchestrationInput_OfANewGeneration_MatchesItsGoldenFile() => AssertGolden("orchestration-input-generation", new CaseOrchestrationInput(
        CaseOrchestration.SchemaVersion, Registration.CaseId, WorkflowClock.Real, TimeSpan.FromMilliseconds(1500), Registration: null,
        new CaseProgress(27, CaseState.LostContact, new DateTimeOffset(2026, 4, 18, 0, 0, 0, TimeSpan.FromHours(8)), Closed: false), Generation: 2,
        RecentSteps: ["k0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", "t5f0c2b0e9d7a4e8c9b1a2d3e4f5a6b7c"],
        Retry: new ApplyRetry { Attempts = 3, Interval = TimeSpan.FromMilliseconds(200), BlockedWait = TimeSpan.FromSeconds(30) }, Restored: true));

    [Fact]
    public void Progress_MatchesItsGoldenFile() =>
        AssertGolden("progress", new CaseProgress(4, CaseState.Released, new DateTimeOffset(2026, 4, 16, 0, 0, 0, TimeSpan.FromHours(8)), Closed: false, Applied: null));

    [Fact]
    public void Progress_OfAClosedCase_MatchesItsGoldenFile() => AssertGolden("progress-closed", new CaseProgress(9, CaseState.AgreementSigned, null, Closed: true));

    [Fact]
    public void ApplyStepRequest_MatchesItsGoldenFile() => AssertGolden("apply-step-request", new ApplyStepRequest(Registration.CaseId, Steps["recordReport"]));

    [Fact]
    public void ApplyPendingRequest_MatchesItsGoldenFile() => AssertGolden("apply-pending-request",
        new ApplyPendingRequest(Registration.CaseId, Steps["tick"], [Steps["recordReport"]], "5f0c2b0e9d7a4e8c9b1a2d3e4f5a6b7c"));

    [Fact]
    public void BlockedStatus_MatchesItsGoldenFile() => AssertGolden("blocked-status", new BlockedStatus(
        new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), 3, "Azure.RequestFailedException: Service Unavailable",
        new DateTimeOffset(2026, 12, 1, 16, 7, 0, TimeSpan.Zero)));

    [Fact]
    public void NoteBlockedRequest_MatchesItsGoldenFile() => AssertGolden("note-blocked-request", new NoteBlockedRequest(Registration.CaseId, null));

    /// <summary>
    /// What schema 2 wrote (its files kept under <c>Golden/v2/</c>, never rewritten) still reads, into the values it wrote: instances of
    /// schema 2 carry them in their history and their next generation's input.
    /// </summary>
    [Theory]
    [InlineData("orchestration-input")]
    [InlineData("orchestration-input-generation")]
    [InlineData("progress")]
    [InlineData("progress-closed")]
    public void ShapesOfSchemaTwo_StillRead(string name)
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "v2", name + ".json"));
        object? read = name.StartsWith("progress", StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<CaseProgress>(json, WorkflowJson.Options)
            : JsonSerializer.Deserialize<CaseOrchestrationInput>(json, WorkflowJson.Options);
        switch (read)
        {
            case CaseProgress progress:
                Assert.Null(progress.Applied);
                Assert.True(progress.Version > 0);
                break;
            case CaseOrchestrationInput input:
                Assert.Equal(2, input.SchemaVersion);
                Assert.Null(input.Retry);
                Assert.Equal(Registration.CaseId, input.CaseId);
                break;
            default:
                Assert.Fail($"{name} did not read");
                break;
        }
    }

    /// <summary>
    /// <paramref name="value"/> serialises to the golden file exactly (indented, else byte for byte what the hosts write), and the
    /// file deserialises to an equal value.
    /// </summary>
    private static void AssertGolden<T>(string name, T value)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json");
        var actual = JsonSerializer.Serialize(value, Indented) + "\n";
        if (Environment.GetEnvironmentVariable("HANDOFF_UPDATE_GOLDEN") is "1" or "true")
        {
            File.WriteAllText(Path.Combine(SourceFolder(), name + ".json"), actual);
            return;
        }

        Assert.True(File.Exists(file), $"No golden file {name}.json; serialised now:\n{actual}");
        var golden = File.ReadAllText(file).ReplaceLineEndings("\n");
        Assert.True(golden == actual, $"{name}.json differs from what {typeof(T).Name} serialises to now.\n--- golden\n{golden}\n--- now\n{actual}");

        // Read back, it is the same value (records holding lists compare them by reference, so equality is read as the same JSON).
        var read = JsonSerializer.Deserialize<T>(golden, WorkflowJson.Options);
        Assert.NotNull(read);
        Assert.Equal(JsonSerializer.Serialize(value, WorkflowJson.Options), JsonSerializer.Serialize(read, WorkflowJson.Options));
    }

    private static readonly JsonSerializerOptions Indented = new(WorkflowJson.Options) { WriteIndented = true };

    private static string Discriminator(CaseCommand command) =>
        JsonDocument.Parse(JsonSerializer.Serialize(command, WorkflowJson.Options)).RootElement.GetProperty("type").GetString()!;

    private static string SourceFolder() =>
        Path.Combine(AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!, "tests", "Handoff.Workflow.Tests", "Golden");
}
