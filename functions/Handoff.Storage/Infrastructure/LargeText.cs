using Azure.Data.Tables;

namespace Handoff.Storage.Infrastructure;

/// <summary>
/// A table string property holds at most 32K UTF-16 characters; an entity holds 1 MiB. Long JSON is split across
/// <c>Name</c>, <c>Name_1</c>, <c>Name_2</c>… with the part count in <c>Name_parts</c>.
/// </summary>
internal static class LargeText
{
    private const int PartLength = 30_000;

    public static void Write(TableEntity entity, string name, string text)
    {
        var parts = Math.Max(1, (text.Length + PartLength - 1) / PartLength);
        if (parts > 30)
        {
            throw new InvalidOperationException($"{name} is {text.Length} characters, more than a table entity can hold.");
        }

        for (var i = 0; i < parts; i++)
        {
            var start = i * PartLength;
            entity[i == 0 ? name : $"{name}_{i}"] = text.Substring(start, Math.Min(PartLength, text.Length - start));
        }

        entity[$"{name}_parts"] = parts;
    }

    public static bool Has(TableEntity entity, string name) => entity.ContainsKey(name);

    public static string Read(TableEntity entity, string name)
    {
        var parts = entity.GetInt32($"{name}_parts") ?? 1;
        if (parts == 1)
        {
            return entity.GetString(name) ?? "";
        }

        return string.Concat(Enumerable.Range(0, parts).Select(i => entity.GetString(i == 0 ? name : $"{name}_{i}")));
    }
}
