using System.Runtime.CompilerServices;
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Handoff.Workflow.Tests.Replay;

/// <summary>
/// A recorded history on disk: DurableTask.Core's own <see cref="HistoryEvent"/> data contracts (the members the engine stores),
/// written with Newtonsoft — the serializer DurableTask.Core uses — and typed by each event's <c>EventType</c> (as a name), so a file
/// reads back into the same event classes without assembly-qualified type names. Payloads (inputs, results, event data) stay the
/// strings the engine stored.
/// </summary>
public static class HistoryJson
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        Converters = { new StringEnumConverter() },
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        DateParseHandling = DateParseHandling.DateTime,
        NullValueHandling = NullValueHandling.Ignore,
        Formatting = Formatting.Indented,
        ContractResolver = new RecordedMembers(),
    });

    private static readonly Dictionary<EventType, Type> EventTypes = HistoryEvent.KnownTypes()
        .Select(t => (Type: t, Kind: ((HistoryEvent)RuntimeHelpers.GetUninitializedObject(t)).EventType))
        .GroupBy(x => x.Kind)
        .ToDictionary(g => g.Key, g => g.OrderBy(x => x.Type.Name == $"{g.Key}Event" ? 0 : 1).First().Type);

    public static string Write(RecordedHistory history)
    {
        var file = new JObject
        {
            ["name"] = history.Name,
            ["description"] = history.Description,
            ["recordedWith"] = history.RecordedWith,
            ["events"] = new JArray(history.Events.Select(e => JObject.FromObject(e, Serializer))),
        };
        return file.ToString(Formatting.Indented) + "\n";
    }

    public static RecordedHistory Read(string json)
    {
        var file = JObject.Parse(json);
        var events = ((JArray)file["events"]!).Cast<JObject>().Select(ReadEvent).ToList();
        return new RecordedHistory((string)file["name"]!, (string)file["description"]!, (string)file["recordedWith"]!, events);
    }

    /// <summary>The engine's own JSON of a history (<c>GetOrchestrationHistoryAsync</c>: untyped, event types as numbers).</summary>
    public static IReadOnlyList<HistoryEvent> ReadEngineHistory(string json) =>
        JArray.Parse(json).Cast<JObject>().Select(ReadEvent).ToList();

    /// <summary>A deep copy: the executor marks events as played, and tests must not share them.</summary>
    public static List<HistoryEvent> Copy(IEnumerable<HistoryEvent> events) =>
        events.Select(e => ReadEvent(JObject.FromObject(e, Serializer))).ToList();

    private static HistoryEvent ReadEvent(JObject json)
    {
        var kind = json["EventType"]!.Type == JTokenType.Integer
            ? (EventType)(int)json["EventType"]!
            : Enum.Parse<EventType>((string)json["EventType"]!);
        return (HistoryEvent)json.ToObject(EventTypes[kind], Serializer)!;
    }

    /// <summary>The data contract minus what is bookkeeping of one run (whether the event was played).</summary>
    private sealed class RecordedMembers : DefaultContractResolver
    {
        protected override IList<JsonProperty> CreateProperties(Type type, MemberSerialization memberSerialization) =>
            base.CreateProperties(type, memberSerialization).Where(p => p.PropertyName != nameof(HistoryEvent.IsPlayed)).ToList();
    }
}

/// <summary>One orchestration instance's history as an earlier build recorded it.</summary>
/// <param name="Name">The file's name, without <c>.json</c>.</param>
/// <param name="Description">Where the case stood when it was recorded.</param>
/// <param name="RecordedWith">The engine, backend and schema that recorded it.</param>
public sealed record RecordedHistory(string Name, string Description, string RecordedWith, IReadOnlyList<HistoryEvent> Events);
