namespace Handoff.Core.Serialization;

/// <summary>
/// The <c>type</c> discriminator of a command or event written in one place with its rule (<c>Handoff.Core/Chain</c>): the JSON
/// conventions (<see cref="CoreJson"/>) register every such type with its base, so adding one touches no central list.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WireNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
