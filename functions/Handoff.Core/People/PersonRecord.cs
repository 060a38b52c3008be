namespace Handoff.Core.People;

/// <summary>
/// The person as the case holds them. The identity number is never held in clear: the host protects it before it reaches
/// the core (<see cref="ProtectedIdNumber"/> is ciphertext, <see cref="IdNumberLookup"/> a keyed hash for finding open cases).
/// </summary>
/// <param name="Name">Full name as on the release certificate.</param>
/// <param name="MaskedIdNumber">Display form, e.g. <c>4414**********123X</c>.</param>
/// <param name="ProtectedIdNumber">Opaque ciphertext of the clear number (AES-GCM, made by the storage layer).</param>
/// <param name="IdNumberLookup">Keyed hash of the clear number: equal numbers give equal lookups.</param>
/// <param name="RegisteredRegion">户籍所在地: 6-digit region code.</param>
/// <param name="ResidenceRegion">现居住地: 6-digit region code.</param>
public sealed record PersonRecord(
    string Name,
    string MaskedIdNumber,
    string ProtectedIdNumber,
    string IdNumberLookup,
    string RegisteredRegion,
    string ResidenceRegion);
