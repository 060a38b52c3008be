using Handoff.Testing;

namespace Handoff.Workflow.Tests.Replay.Recording;

/// <summary>
/// The recorder has an Azurite of its own, so it runs beside the orchestration scenarios instead of after them: both mostly wait on
/// timers.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RecorderCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "recorder";
}
