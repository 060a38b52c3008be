using Handoff.Core.Calendar;
using Handoff.Core.Organisations;
using Handoff.Core.Workflow;

namespace Handoff.Storage.Cases;

/// <summary>What every decision consults besides the case and the command; <c>now</c> is always passed in.</summary>
public sealed class WorkflowEnvironment(LegalCalendar calendar, OrganisationDirectory directory, HandoffPolicy policy)
{
    public OrganisationDirectory Directory => directory;

    public LegalCalendar Calendar => calendar;

    public HandoffPolicy Policy => policy;

    public WorkflowContext Context(DateTimeOffset now) => new(now, calendar, directory, policy);
}
