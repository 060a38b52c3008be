using System.Globalization;

namespace Handoff.Soak;

/// <summary>What one soak run does. Durations are real time unless named otherwise.</summary>
public sealed record SoakOptions
{
    public const string Usage = """
        dotnet run -c Release --project bench/Handoff.Soak -- [options]
          --cases 300              cases driven through the API, spread over the paths (on time, late, never reported, …)
          --processes 3            self-host processes on one task hub
          --kill-every 20s         SIGKILL a random self-host process this often, and restart it (0 = never; see docs/reliability.md)
          --azurite-restart true   SIGKILL Azurite once mid-run and restart it on the same ports and data
          --azurite-outage 180s    later, SIGKILL Azurite again and start it only after this long (same ports and data) while the
                                   self-hosts keep running (no self-host kills meanwhile); 0 = no outage
          --azurite-kill clean     clean: just after Azurite saved its data to disk (an outage); blind: whenever (also loses up to
                                   5 s of acknowledged writes: Azurite saves every 5 s, Azure Storage never loses them)
          --day 20s                real time per workflow day (the development clock's speed is 86400 s / this)
          --register-over 2m       registrations are spread over this long
          --visibility 30s         Handoff:Durable:ControlQueueVisibilityTimeout and WorkItemQueueVisibilityTimeout
          --grace 3s               Handoff:Orchestration:Grace
          --settle-timeout 10m     how long to wait for convergence once the kills stop
          --seed 11                random seed for the path mix and the kills
          --no-build               use the self-host already built in Release
        """;

    public int Cases { get; init; } = 300;

    public int Processes { get; init; } = 3;

    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(20);

    public bool RestartAzurite { get; init; } = true;

    public bool BlindAzuriteKill { get; init; }

    /// <summary>How long Azurite stays down in the outage (0: none): killed, and started again on the same data only after this long.</summary>
    public TimeSpan AzuriteOutage { get; init; } = TimeSpan.FromSeconds(180);

    public TimeSpan Day { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan RegisterOver { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan Visibility { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public int Seed { get; init; } = 11;

    public bool Build { get; init; } = true;

    /// <summary>Workflow seconds per real second.</summary>
    public double Speed => TimeSpan.FromDays(1) / Day;

    public static bool TryParse(string[] args, out SoakOptions? options, out string? error)
    {
        var o = new SoakOptions();
        error = null;
        options = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--no-build")
            {
                o = o with { Build = false };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value.";
                return false;
            }

            var value = args[++i];
            try
            {
                o = name switch
                {
                    "--cases" => o with { Cases = Positive(int.Parse(value, CultureInfo.InvariantCulture)) },
                    "--processes" => o with { Processes = Positive(int.Parse(value, CultureInfo.InvariantCulture)) },
                    "--kill-every" => o with { KillEvery = Duration(value) },
                    "--azurite-restart" => o with { RestartAzurite = bool.Parse(value) },
                    "--azurite-outage" => o with { AzuriteOutage = Duration(value) },
                    "--azurite-kill" => o with { BlindAzuriteKill = value switch { "blind" => true, "clean" => false, _ => throw new FormatException("clean or blind") } },
                    "--day" => o with { Day = Duration(value) },
                    "--register-over" => o with { RegisterOver = Duration(value) },
                    "--visibility" => o with { Visibility = Duration(value) },
                    "--grace" => o with { Grace = Duration(value) },
                    "--settle-timeout" => o with { SettleTimeout = Duration(value) },
                    "--seed" => o with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                    _ => throw new FormatException("unknown option"),
                };
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                error = $"{name} {value}: {ex.Message}";
                return false;
            }
        }

        if (o.Day < TimeSpan.FromSeconds(1))
        {
            error = "--day must be at least 1s.";
            return false;
        }

        options = o;
        return true;
    }

    /// <summary>5s, 250ms, 2m, 1h, or a TimeSpan (00:00:05).</summary>
    public static TimeSpan Duration(string text)
    {
        foreach (var (suffix, unit) in new[] { ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0), ("h", 3_600_000.0) })
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return TimeSpan.FromMilliseconds(n * unit);
            }
        }

        return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
    }

    private static int Positive(int n) => n > 0 ? n : throw new FormatException("must be positive");
}
