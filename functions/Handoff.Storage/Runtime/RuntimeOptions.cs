namespace Handoff.Storage.Runtime;

/// <summary>Knobs of the durable runtime. Defaults suit Azure Storage and Azurite alike.</summary>
public sealed record RuntimeOptions
{
    /// <summary>How long a command's wake-up stays hidden, so the commit lands before the worker reads the case. Default 1 s.</summary>
    public TimeSpan DispatchDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A wake-up whose commit has not landed after this long is an orphan (its command failed) and is dropped. Default 10 minutes;
    /// must exceed the longest time between sending a command's wake-up and its commit (the SDK's retries can take about 2 minutes)
    /// plus any clock skew between this host and storage. Orphans are cheap to keep around; a dropped live timer is not.
    /// </summary>
    public TimeSpan OrphanAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many times a command tries when it keeps losing optimistic-concurrency races, with jittered back-off. Default 10.</summary>
    public int MaxCommandAttempts { get; init; } = 10;

    /// <summary>
    /// A person's registration lock left by a crashed registration may be taken over after this long (real time). Default 10 minutes,
    /// well past the slowest commit a registration can still make.
    /// </summary>
    public TimeSpan PersonLockStaleAfter { get; init; } = TimeSpan.FromMinutes(10);
}
