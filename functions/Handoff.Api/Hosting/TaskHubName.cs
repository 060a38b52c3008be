namespace Handoff.Api.Hosting;

/// <summary>
/// The Durable Task hub this process works in: app setting <c>HandoffTaskHub</c> (host.json reads it as <c>%HandoffTaskHub%</c>; the
/// self-host reads the same name). One hub per environment and per test run; the Function App and the self-host never share one.
/// 3–45 letters and digits, starting with a letter (Azure Storage's rule for the hub's queues, tables and containers).
/// </summary>
public sealed record TaskHubName(string Value)
{
    public const string Setting = "HandoffTaskHub";

    /// <summary>
    /// The default hub name of a host (<paramref name="baseName"/>: <c>handofflocal</c> self-hosted, <c>handoff</c> in the Function App)
    /// with the partition count it is created with, as Bicep names an environment's hub (<c>handoff{environment}p16</c>): a new count
    /// is a new hub, never a changed one (the engine cannot change it; docs/operations.md has the move).
    /// </summary>
    public static string Default(string baseName, int partitionCount) => $"{baseName}p{partitionCount}";

    public static TaskHubName From(string? configured, string fallback)
    {
        var name = string.IsNullOrWhiteSpace(configured) ? fallback : configured.Trim();
        if (name.Length is < 3 or > 45 || !char.IsAsciiLetter(name[0]) || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw new InvalidOperationException($"{Setting} '{name}' must be 3–45 letters and digits, starting with a letter.");
        }

        return new TaskHubName(name);
    }
}
