using Handoff.Testing;

namespace Handoff.Storage.Tests;

/// <summary>Every storage test shares one Azurite and runs in sequence, so queue-consuming tests see only their own messages.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
