namespace Handoff.Core.Statistics;

/// <summary>A step's outcome: <see cref="Due"/> once it is decided (done in time, or the deadline passed), <see cref="Met"/> if on time.</summary>
public readonly record struct StepOutcome(bool Due, bool Met)
{
    public static StepOutcome Pending => new(false, false);
}
