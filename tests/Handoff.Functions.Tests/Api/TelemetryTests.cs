using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Handoff.Functions.Tests.Api;

/// <summary>
/// The service's own metrics, as an operator's dashboard reads them (docs/operations.md): commands by kind and outcome with their
/// latency, timer lateness, escalations opened by kind and level, notices by channel. Read with a <see cref="MeterListener"/> on the
/// real self-host and engine, the clock compressed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(FastApiFixture api) : ApiTestBase(api), IDisposable
{
    private readonly MeterListener _listener = Listen();

    private static readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements = new();

    [Fact]
    public async Task Commands_Timers_Escalations_AndNotices_AreMeasured()
    {
        var caseId = (await RegisterAsync(daysAhead: 10)).GetProperty("caseId").GetString()!;
        await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/acknowledgement");
        await PostAsync("pingyuan-dazhe-office", $"/api/cases/{caseId}/report"); // refused: not released yet
        await PostAsync("meizhou-centre", $"/api/cases/{caseId}/release", new { collectedBy = new { kind = "family", name = "张父" } });

        await ApiFixture.EventuallyAsync(() => Task.FromResult(Measurements.ToArray()),
            // The listener hears every case of the fixture: wait for the level this case opens at, not for any case's climb.
            m => m.Any(x => x.Instrument == "handoff.escalations.opened" && Tag(x, "kind") == "not-reported" && Tag(x, "level") == "1"),
            TimeSpan.FromSeconds(40), "a not-reported escalation measured at level 1");

        var seen = Measurements.ToArray();
        Assert.Contains(seen, m => m.Instrument == "handoff.commands" && Tag(m, "command") == "RecordRelease" && Tag(m, "outcome") == "applied");
        Assert.Contains(seen, m => m.Instrument == "handoff.commands" && Tag(m, "command") == "RecordReport" && Tag(m, "outcome") == "refused");
        Assert.Contains(seen, m => m.Instrument == "handoff.command.duration" && Tag(m, "command") == "RegisterRelease" && m.Value > 0);
        Assert.Contains(seen, m => m.Instrument == "handoff.timer.lateness" && m.Value >= 0);
        Assert.Contains(seen, m => m.Instrument == "handoff.escalations.opened" && Tag(m, "kind") == "not-reported" && Tag(m, "level") == "1");
        Assert.Contains(seen, m => m.Instrument == "handoff.notices" && Tag(m, "channel") == "inbox");
        Assert.DoesNotContain(seen, m => m.Tags.Values.Any(v => v?.ToString()?.Contains(caseId, StringComparison.Ordinal) == true));
    }

    public void Dispose() => _listener.Dispose();

    private static string? Tag((string Instrument, double Value, Dictionary<string, object?> Tags) m, string key) =>
        m.Tags.TryGetValue(key, out var value) ? value?.ToString() : null;

    private static MeterListener Listen()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Handoff")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        return listener;
    }

    private static void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        Measurements.Enqueue((instrument.Name, value, map));
    }
}
