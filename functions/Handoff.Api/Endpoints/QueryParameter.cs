namespace Handoff.Api.Endpoints;

/// <summary>A query parameter a route reads. An empty value (<c>state=</c>) is the same as leaving the parameter out.</summary>
/// <param name="Type"><see cref="int"/>, <see cref="bool"/>, <see cref="string"/> or an enum (sent as its JSON name).</param>
public sealed record QueryParameter(string Name, Type Type, string Description)
{
    public int? Minimum { get; init; }

    public int? Maximum { get; init; }

    public int? Default { get; init; }
}
