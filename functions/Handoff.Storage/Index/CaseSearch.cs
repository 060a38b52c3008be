namespace Handoff.Storage.Index;

/// <summary>What a list of cases is narrowed to; every part optional.</summary>
/// <param name="State">The case's state, camelCase (<c>released</c>).</param>
/// <param name="Overdue">Only cases with an open escalation or a missed step not done (true), or only those without (false).</param>
/// <param name="Lookup">The keyed hash of an identity number (never the number itself).</param>
/// <param name="Name">Part of the person's name.</param>
public sealed record CaseSearch(string? State, bool? Overdue, string? Lookup, string? Name);
