using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Handoff.Storage.Infrastructure;

/// <summary>
/// Handoff's own traces and metrics (meter and activity source <c>Handoff</c>), beside the Durable Task engine's and the hosts'. The
/// names, their tags and the alerts built on them are in docs/operations.md. Tags never carry a case id, a name or an identity
/// number: they are low-cardinality labels (command, outcome, kind, level, channel), fit for a dashboard and harmless in a log store.
/// </summary>
public sealed class HandoffTelemetry
{
    public const string Name = "Handoff";

    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _commands;
    private readonly Histogram<double> _commandDuration;
    private readonly Histogram<double> _timerLateness;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _notices;
    private readonly Counter<long> _restores;
    private readonly Counter<long> _failedOrchestrations;
    private readonly Counter<long> _blocked;
    private readonly Counter<long> _channels;

    public HandoffTelemetry(IMeterFactory meters, StorageRequestCounter storage)
    {
        var meter = meters.Create(Name);
        _commands = meter.CreateCounter<long>("handoff.commands", description: "API commands by command and outcome (applied, accepted, refused, failed)");
        _commandDuration = meter.CreateHistogram<double>("handoff.command.duration", "ms", "From the request to its answer, by command and outcome");
        _timerLateness = meter.CreateHistogram<double>("handoff.timer.lateness", "s", "Real time from a deadline's end (or climb) to the tick that acted on it, grace included");
        _escalations = meter.CreateCounter<long>("handoff.escalations.opened", description: "Escalation notices opened or climbed, by kind and level");
        _notices = meter.CreateCounter<long>("handoff.notices", description: "Notices by channel (inbox, feed, webhook-queued, webhook-delivered, webhook-failed, webhook-poisoned)");
        _restores = meter.CreateCounter<long>("handoff.reconciler.restores", description: "Orchestrations of open cases the reconciler restarted, by the status it found");
        _failedOrchestrations = meter.CreateCounter<long>("handoff.orchestrations.failed", description: "Open cases whose orchestration the reconciler found failed");
        _blocked = meter.CreateCounter<long>("handoff.cases.blocked", description: "Rounds of activity retries that failed, leaving a case blocked until its next try");
        _channels = meter.CreateCounter<long>("handoff.channel.notices", description: "Notices through group robots and e-mail, by platform and outcome (sent, throttled, retrying, gave-up, uncertain)");
        meter.CreateObservableCounter("handoff.storage.requests", () => storage.Total, description: "Storage requests our own clients sent (the engine's are not counted here)");
    }

    public void Command(string command, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "command", command }, { "outcome", outcome } };
        _commands.Add(1, tags);
        _commandDuration.Record(duration.TotalMilliseconds, tags);
    }

    public void TimerLateness(TimeSpan lateness) => _timerLateness.Record(Math.Max(0, lateness.TotalSeconds));

    public void EscalationOpened(string kind, int level) => _escalations.Add(1, new TagList { { "kind", kind }, { "level", level.ToString(System.Globalization.CultureInfo.InvariantCulture) } });

    public void Notices(string channel, int count = 1)
    {
        if (count > 0)
        {
            _notices.Add(count, new TagList { { "channel", channel } });
        }
    }

    public void Blocked() => _blocked.Add(1);

    public void Channel(Handoff.Core.Notices.Channels.ChannelPlatform platform, string outcome, int count)
    {
        if (count > 0)
        {
            _channels.Add(count, new TagList { { "platform", platform.ToString().ToLowerInvariant() }, { "outcome", outcome } });
        }
    }

    public void Restored(string status)
    {
        _restores.Add(1, new TagList { { "status", status } });
        if (status == "Failed")
        {
            _failedOrchestrations.Add(1);
        }
    }
}
