using Xunit;
using Handoff.Development;
using Handoff.Storage.Infrastructure;

namespace Handoff.Testing;

/// <summary>
/// One in-memory Azurite per test assembly, on free loopback ports, killed at the end (it ignores SIGTERM).
/// Tests share it and keep apart by using their own case ids; tests that consume queues clear them first.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteLauncher? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    /// <summary>The emulator's process, so a test can check it is gone after disposal.</summary>
    public int ProcessId => _azurite?.ProcessId ?? throw new InvalidOperationException("Azurite is not started.");

    public async Task InitializeAsync()
    {
        var root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("Tests must run inside the repository (package.json beside Handoff.sln).");
        _azurite = await AzuriteLauncher.StartAsync(root, dataFolder: null);
        await StorageClients.FromConnectionString(ConnectionString).EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>Empties every queue, so a test sees only its own messages.</summary>
    public async Task ClearQueuesAsync()
    {
        var clients = StorageClients.FromConnectionString(ConnectionString);
        foreach (var queue in StorageNames.Queues)
        {
            await clients.Queue(queue).ClearMessagesAsync();
        }
    }
}
