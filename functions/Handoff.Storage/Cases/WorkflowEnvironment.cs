using Handoff.Core.Calendar;
using Handoff.Core.Organisations;
using Handoff.Core.Workflow;

namespace Handoff.Storage.Cases;

/// <summary>What every decision consults besides the case and the command; <c>now</c> is always passed in.</summary>
/// <param name="regional">Policies by region prefix (<c>Handoff:Policy:Regions:{prefix}</c>), each complete.</param>
public sealed class WorkflowEnvironment(
    LegalCalendar calendar, OrganisationDirectory directory, HandoffPolicy policy, IReadOnlyDictionary<string, HandoffPolicy>? regional = null)
{
    public OrganisationDirectory Directory => directory;

    public LegalCalendar Calendar => calendar;

    public HandoffPolicy Policy => policy;

    public IReadOnlyDictionary<string, HandoffPolicy> Regional { get; } = regional ?? new Dictionary<string, HandoffPolicy>();

    public WorkflowContext Context(DateTimeOffset now) => new(now, calendar, directory, policy, Regional);
}
