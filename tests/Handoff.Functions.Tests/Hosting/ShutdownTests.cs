using System.Diagnostics;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>Stopping the self-host is clean: no exception from the engine's worker, and the Azurite it ran on is gone.</summary>
public class ShutdownTests
{
    [Fact]
    public async Task SelfHost_StopsWithoutError_AndItsAzuriteDoesNotOutliveIt()
    {
        var fixture = new ApiFixture();
        await fixture.InitializeAsync();
        var azurite = fixture.AzuriteProcessId;
        var today = Handoff.Core.Time.ChinaTime.LocalDate(fixture.Time.GetUtcNow());
        var registered = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(fixture.Client("meizhou-centre"), "/api/releases", new
        {
            person = new { name = "张某某", idNumber = Handoff.Testing.TestData.UniqueIdNumber(), registeredRegion = "441426", residenceRegion = "441426" },
            releaseDate = today.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            releaseType = "expiry",
            rehabilitationYears = 3,
            receivingOfficeId = "pingyuan-dazhe-office",
            policeStationId = "pingyuan-dazhe-police",
            decisionAuthorityId = "meizhou-psb",
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode); // the engine has a live orchestration with a timer

        var stopping = await Record.ExceptionAsync(fixture.DisposeAsync);

        Assert.True(stopping is null, stopping?.ToString());
        Assert.False(IsRunning(azurite), $"Azurite {azurite} still runs after the self-host stopped");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
