using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Handoff.Core.People;

namespace Handoff.Benchmarks.Hosting;

/// <summary>
/// Calls a self-host's HTTP API as the sample directory's organisations (梅州 centre → 平远县大柘镇 office) with their development
/// keys. A command answered 202 is followed to its outcome, every 250 ms, as a client would; the follow-ups are counted.
/// </summary>
public static class HandoffApi
{
    public const string Centre = "meizhou-centre";
    public const string Office = "pingyuan-dazhe-office";

    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    private static int _people;

    /// <summary>What one command cost its caller: the answer, how long until the case showed it applied, and 202 follow-ups.</summary>
    public sealed record Answer(HttpStatusCode Status, TimeSpan Elapsed, int FollowUps, bool WasAccepted, JsonElement Body)
    {
        public string CaseId => Body.GetProperty("caseId").GetString()!;
    }

    /// <summary>A valid identity number no other call in this run returns (region 441426, the person's registered county).</summary>
    public static string NewIdNumber()
    {
        var n = Interlocked.Increment(ref _people);
        var birth = new DateOnly(1960, 1, 1).AddDays(n / 1000 % 20000).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var first17 = $"441426{birth}{n % 1000:D3}";
        return first17 + ResidentIdNumber.CheckCharacter(first17);
    }

    public static Task<Answer> RegisterAsync(HandoffHost host, DateOnly releaseDate) =>
        SendAsync(host, Centre, "/api/releases", new
        {
            person = new { name = "张某某", idNumber = NewIdNumber(), registeredRegion = "441426", residenceRegion = "441426" },
            releaseDate = releaseDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            releaseType = "expiry",
            rehabilitationYears = 3,
            receivingOfficeId = Office,
            policeStationId = "pingyuan-dazhe-police",
            decisionAuthorityId = "meizhou-psb",
        });

    public static Task<Answer> AcknowledgeAsync(HandoffHost host, string caseId) => SendAsync(host, Office, $"/api/cases/{caseId}/acknowledgement", new { });

    public static Task<Answer> ReleaseAsync(HandoffHost host, string caseId) =>
        SendAsync(host, Centre, $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } });

    public static Task<Answer> ReportAsync(HandoffHost host, string caseId) => SendAsync(host, Office, $"/api/cases/{caseId}/report", new { });

    public static Task<Answer> AgreementAsync(HandoffHost host, string caseId) => SendAsync(host, Office, $"/api/cases/{caseId}/agreement", new { });

    private static async Task<Answer> SendAsync(HandoffHost host, string organisation, string path, object body)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, path)) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", $"dev-{organisation}");
        using var response = await Http.SendAsync(request);
        var status = response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var followUps = 0;
        var accepted = status == HttpStatusCode.Accepted;
        var location = response.Headers.Location;
        while (status == HttpStatusCode.Accepted && location is not null)
        {
            await Task.Delay(250);
            using var poll = new HttpRequestMessage(HttpMethod.Get, new Uri(host.Address, location));
            poll.Headers.Add("X-Api-Key", $"dev-{organisation}");
            using var answer = await Http.SendAsync(poll);
            followUps++;
            status = answer.StatusCode;
            text = await answer.Content.ReadAsStringAsync();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var json = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new InvalidOperationException($"POST {path} as {organisation} answered {(int)status}: {text}");
        }

        return new Answer(status, elapsed, followUps, accepted, json);
    }
}
