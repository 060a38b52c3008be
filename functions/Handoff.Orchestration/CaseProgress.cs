using Handoff.Core.Cases;

namespace Handoff.Workflow;

/// <summary>
/// What the orchestration carries between steps — all it needs to sequence, nothing it would have to decide: the case itself stays
/// in our tables, so the engine's history holds a few hundred bytes per step instead of the whole file.
/// </summary>
/// <param name="Version">The case version after the last applied step (0: no case).</param>
/// <param name="State">Where the case stands; null when there is no case (its registration was refused).</param>
/// <param name="NextDueAt">The workflow instant something next falls due (a deadline or a climb); null when only a command can move it.</param>
/// <param name="Closed">Nothing more can happen: the orchestration completes.</param>
/// <param name="Applied">The command ids the activity decided this time (schema 3), so that their repeated signals are dropped.</param>
public sealed record CaseProgress(int Version, CaseState? State, DateTimeOffset? NextDueAt, bool Closed, IReadOnlyList<string>? Applied = null);
