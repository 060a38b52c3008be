using Handoff.Testing;

namespace Handoff.Workflow.Tests.Support;

/// <summary>The tests that run the real activity share one Azurite and run one after another (they are timer-bound, not CPU-bound).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
