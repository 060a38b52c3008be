using Handoff.Api.Hosting;
using Handoff.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// The self-host started with a fast development clock and nothing else (<c>--Handoff:Clock:Speed=3600</c>): the engine's polling and
/// the orchestration's grace are real time, so at 3,600× every real second is a legal hour of lateness. Their defaults must then be
/// the demo's, without two more flags a newcomer cannot know.
/// </summary>
public sealed class DemoClockTests(DemoClockTests.DemoClockFixture api) : IClassFixture<DemoClockTests.DemoClockFixture>
{
    [Fact]
    public void FastClockAlone_PollsEverySecond_AndTheGraceIsAtMostTwoSeconds()
    {
        var settings = api.Services.GetRequiredService<DurableSettings>();
        var time = api.Services.GetRequiredService<WorkflowTime>();

        Assert.Equal(3600, time.Clock.Speed);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.MaxQueuePollingInterval);
        Assert.True(time.Grace <= TimeSpan.FromSeconds(2), $"grace {time.Grace}: at 3,600× that is {time.Grace.TotalSeconds:0.#} legal hours late");
        Assert.True((time.Grace + settings.MaxQueuePollingInterval).TotalSeconds * time.Clock.Speed <= TimeSpan.FromHours(3).TotalSeconds);
    }

    /// <summary>Only the clock's speed is set: the polling interval and the grace are the host's defaults.</summary>
    public sealed class DemoClockFixture : ApiFixture
    {
        protected override double Speed => 3600;

        protected override TimeSpan Grace => TimeSpan.MinValue;

        protected override TimeSpan? PollingInterval => null;
    }
}
