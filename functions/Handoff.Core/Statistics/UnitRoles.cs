namespace Handoff.Core.Statistics;

/// <summary>
/// The parts of a case a unit — and so its county, city and province — answers for. A case counts in two places when its centre and
/// its receiving office are in different counties: in the centre's for the centre's part, in the office's for the rest.
/// </summary>
[Flags]
public enum UnitRoles
{
    None = 0,

    /// <summary>The releasing centre: the release (本辖区戒毒所出所), its notice (<see cref="Measure.Notice"/>), its own escalations.</summary>
    Centre = 1,

    /// <summary>The receiving office: the person received (出所通报), acknowledgement, collection, report, agreement, lost and found.</summary>
    Office = 2,

    Both = Centre | Office,
}
