using Handoff.Core.Calendar;
using Handoff.Core.Cases;
using Handoff.Core.Organisations;
using Handoff.Core.People;
using Handoff.Core.Regions;
using Handoff.Core.Time;
using Handoff.Core.Workflow;

namespace Handoff.Testing;

/// <summary>Builders for test data: a small directory around 梅州 平远县, the official calendars, and valid identity numbers.</summary>
public static class TestData
{
    public const string Centre = "meizhou-centre";
    public const string Office = "pingyuan-dazhe-office";
    public const string Police = "pingyuan-dazhe-police";
    public const string Authority = "meizhou-psb";
    public const string CountySupervisor = "pingyuan-nco";
    public const string CitySupervisor = "meizhou-nco";
    public const string ProvinceSupervisor = "guangdong-nco";
    public const string CentreBureau = "guangdong-rehab-bureau";
    public const string OtherCentre = "shaoguan-centre";
    public const string OtherOffice = "guiyang-office";
    public const string OtherPolice = "guiyang-police";
    public const string PublicSecurityCentre = "meizhou-psb-centre";

    public static readonly OrganisationDirectory Orgs = new(
    [
        new Organisation(Centre, OrganisationKind.Centre, RegionCode.Parse("441400"), "梅州市强制隔离戒毒所"),
        new Organisation(PublicSecurityCentre, OrganisationKind.Centre, RegionCode.Parse("441400"), "梅州市公安局强制隔离戒毒所", Authority: CentreAuthority.PublicSecurity),
        new Organisation(OtherCentre, OrganisationKind.Centre, RegionCode.Parse("440200"), "韶关市强制隔离戒毒所"),
        new Organisation(Office, OrganisationKind.CommunityOffice, RegionCode.Parse("441426"), "平远县大柘镇戒毒康复服务中心"),
        new Organisation(OtherOffice, OrganisationKind.CommunityOffice, RegionCode.Parse("520100"), "贵阳市社区康复工作站"),
        new Organisation(Police, OrganisationKind.PoliceStation, RegionCode.Parse("441426"), "平远县公安局大柘派出所"),
        new Organisation(OtherPolice, OrganisationKind.PoliceStation, RegionCode.Parse("520100"), "贵阳市公安局某派出所"),
        new Organisation(Authority, OrganisationKind.DecisionAuthority, RegionCode.Parse("441400"), "梅州市公安局"),
        new Organisation(CountySupervisor, OrganisationKind.Supervisor, RegionCode.Parse("441426"), "平远县禁毒委员会办公室"),
        new Organisation(CitySupervisor, OrganisationKind.Supervisor, RegionCode.Parse("441400"), "梅州市禁毒委员会办公室"),
        new Organisation(ProvinceSupervisor, OrganisationKind.Supervisor, RegionCode.Parse("440000"), "广东省禁毒委员会办公室"),
        new Organisation(CentreBureau, OrganisationKind.Supervisor, RegionCode.Parse("440000"), "广东省戒毒管理局", Oversees: [OrganisationKind.Centre]),
    ]);

    public static readonly LegalCalendar Calendar = new(
        System.IO.Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "calendar"), "*.json")
            .Select(f => HolidayScheduleParser.Parse(File.ReadAllText(f))));

    public static WorkflowContext Context(DateTimeOffset now, HandoffPolicy? policy = null, IReadOnlyDictionary<string, HandoffPolicy>? regional = null) =>
        new(now, Calendar, Orgs, policy ?? new HandoffPolicy(), regional);

    /// <summary>An instant in Asia/Shanghai time.</summary>
    public static DateTimeOffset Beijing(int year, int month, int day, int hour = 9, int minute = 0) =>
        new(year, month, day, hour, minute, 0, ChinaTime.Offset);

    private static int _sequence;

    /// <summary>A valid identity number no other call in this process returns.</summary>
    public static string UniqueIdNumber(string region = "441426")
    {
        var n = Interlocked.Increment(ref _sequence) + Environment.ProcessId % 1000 * 1000;
        var birth = new DateOnly(1970, 1, 1).AddDays(n / 1000 % 15000);
        return IdNumber(region, birth.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), n % 1000);
    }

    /// <summary>A valid identity number for the region and birth date, with the sequence given.</summary>
    public static string IdNumber(string region = "441426", string birth = "19900307", int sequence = 123)
    {
        var first17 = $"{region}{birth}{sequence:D3}";
        return first17 + ResidentIdNumber.CheckCharacter(first17);
    }

    public static PersonRecord Person(string idNumber = "441426199003071234", string registered = "441426") =>
        new("张某某", ResidentIdNumber.Mask(idNumber), "cipher:" + idNumber.GetHashCode(StringComparison.Ordinal),
            "lookup:" + idNumber, registered, registered);

    public static Actor As(string organisationId) => new(organisationId, "api-key");

    /// <summary>The deciding organ's 强制隔离戒毒 decision, delivered to <paramref name="centre"/> (the public-security centre by default).</summary>
    public static Handoff.Core.Chain.RecordDecision Committal(
        DateOnly decidedOn, DateTimeOffset servedAt, string centre = PublicSecurityCentre, string caseId = "HO-TEST-1", PersonRecord? person = null) =>
        new(As(Authority), caseId, person ?? Person(), "梅公（禁）决字〔2026〕15号", decidedOn, servedAt, centre);

    /// <summary>The deciding organ's 社区戒毒 order (禁毒法 33), executed at <see cref="Office"/>.</summary>
    public static Handoff.Core.Execution.RecordCommunityOrder CommunityOrder(
        DateOnly decidedOn, DateTimeOffset servedAt, string caseId = "HO-TEST-1", PersonRecord? person = null) =>
        new(As(Authority), caseId, person ?? Person(), "平公（禁）社戒字〔2026〕8号", decidedOn, servedAt, Office, Police);

    public static RegisterRelease Register(
        DateOnly releaseDate, int rehabilitationYears = 3, string caseId = "HO-TEST-1", PersonRecord? person = null) =>
        new(As(Centre), caseId, person ?? Person(), Office, Police, Authority, releaseDate, ReleaseType.Expiry, rehabilitationYears);
}
